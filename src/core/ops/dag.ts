// dvx dag: the project's DAG as DVC shows it (docs/formats.md §9.3): stages and .dvc files (or, with `outs`,
// their output paths) with an edge from every node to each node it depends on. A target limits the graph
// to the target and what it depends on (`full`: the whole pipeline the target belongs to). Labels are
// relative to the current directory, as DVC's are.
import { posix, relative, resolve } from "node:path";
import { toPosix } from "../../fsx/paths.js";
import { ancestors, OutIndex, type GraphNode } from "../../pipeline/graph.js";
import type { DagView } from "../../pipeline/dag-render.js";
import { displayNames } from "../pipeline/address.js";
import { loadProject, type Project } from "../pipeline/project.js";
import { resolveNodes } from "../pipeline/targets.js";
import type { Repo } from "../repo.js";

export interface DagOptions {
  cwd: string;
  target?: string;
  outs?: boolean;
  full?: boolean;
}

interface RawGraph {
  nodes: string[];
  upstream: Map<string, string[]>;
}

/**
 * What each dependency path hangs on, in DVC's order: outputs equal to it or containing it (outermost
 * first), then outputs inside it in the order their nodes were found.
 */
function producersOf(nodes: GraphNode[]): (dep: string) => Array<[string, string]> {
  const owner = new Map<string, string>();
  const rank = new Map<string, number>();
  for (const n of nodes) {
    for (const o of n.outs) {
      owner.set(o, n.id);
      rank.set(o, rank.size);
    }
  }
  const index = new OutIndex(owner.keys());
  return (dep) => {
    const found: Array<[string, string]> = [];
    for (const p of [...ancestors(dep)].reverse().concat(dep)) {
      const id = owner.get(p);
      if (id !== undefined) found.push([p, id]);
    }
    const inside = index.under(dep).sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const p of inside) found.push([p, owner.get(p)!]);
    return found;
  };
}

function stageGraph(project: Project): RawGraph {
  const nodes = project.graph.nodes;
  const producers = producersOf(nodes);
  const upstream = new Map<string, string[]>();
  for (const n of nodes) {
    const ups: string[] = [];
    for (const dep of n.deps) for (const [, id] of producers(dep)) if (!ups.includes(id)) ups.push(id);
    upstream.set(n.id, ups);
  }
  return { nodes: nodes.map((n) => n.id), upstream };
}

function outsGraph(project: Project): RawGraph {
  const nodes = project.graph.nodes;
  const producers = producersOf(nodes);
  const upstream = new Map<string, string[]>();
  const order: string[] = [];
  for (const n of nodes) {
    for (const o of n.outs) {
      order.push(o);
      upstream.set(o, []);
    }
    for (const dep of n.deps) {
      for (const [out] of producers(dep)) {
        for (const from of n.outs) {
          const ups = upstream.get(from)!;
          if (!ups.includes(out)) ups.push(out);
        }
      }
    }
  }
  return { nodes: order, upstream };
}

/** Target nodes: stage addresses, or with `outs` the outputs of the named stages (or under the named path). */
function targetIds(repo: Repo, project: Project, opts: DagOptions, graph: RawGraph): string[] {
  const ids = resolveNodes(repo, project, opts.cwd, [opts.target!], { byOutput: true });
  if (!opts.outs) return ids;
  const cwdRel = toPosix(relative(repo.root, resolve(opts.cwd)));
  const asPath = posix.normalize(cwdRel === "" ? opts.target! : `${cwdRel}/${opts.target!}`).replace(/\/+$/, "");
  const under = graph.nodes.filter((o) => o === asPath || o.startsWith(`${asPath}/`));
  if (under.length > 0) return under;
  return ids.flatMap((id) => project.graph.byId.get(id)?.outs ?? []);
}

/** DVC's _filter: the targets and their upstream (all of it with `full`), then their connected parts. */
function filterGraph(graph: RawGraph, targets: string[], full: boolean): RawGraph {
  let keep = new Set(graph.nodes);
  if (!full) {
    keep = new Set(targets);
    const stack = [...targets];
    while (stack.length > 0) {
      for (const u of graph.upstream.get(stack.pop()!) ?? []) {
        if (!keep.has(u)) {
          keep.add(u);
          stack.push(u);
        }
      }
    }
  }
  const down = new Map<string, string[]>();
  for (const n of keep) {
    for (const u of graph.upstream.get(n) ?? []) {
      if (!keep.has(u)) continue;
      const list = down.get(u);
      if (list) list.push(n);
      else down.set(u, [n]);
    }
  }
  const connected = new Set(targets);
  const stack = [...targets];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const m of [...(graph.upstream.get(n) ?? []), ...(down.get(n) ?? [])]) {
      if (keep.has(m) && !connected.has(m)) {
        connected.add(m);
        stack.push(m);
      }
    }
  }
  const nodes = graph.nodes.filter((n) => connected.has(n));
  const upstream = new Map(nodes.map((n) => [n, (graph.upstream.get(n) ?? []).filter((u) => connected.has(u))]));
  return { nodes, upstream };
}

/** Labels relative to the current directory: `name` for ./dvc.yaml, `path/dvc.yaml:name`, paths. */
function relabel(label: (id: string) => string, graph: RawGraph): DagView {
  const labels = new Map(graph.nodes.map((n) => [n, label(n)] as const));
  return {
    nodes: graph.nodes.map((n) => labels.get(n)!),
    upstream: new Map(graph.nodes.map((n) => [labels.get(n)!, graph.upstream.get(n)!.map((u) => labels.get(u)!)])),
  };
}

export async function dagOp(repo: Repo, opts: DagOptions): Promise<DagView> {
  const project = await loadProject(repo);
  let graph = opts.outs ? outsGraph(project) : stageGraph(project);
  if (opts.target !== undefined) graph = filterGraph(graph, targetIds(repo, project, opts, graph), opts.full === true);
  const names = displayNames(repo, project, opts.cwd);
  return relabel(opts.outs ? names.path : names.node, graph);
}
