// The pipeline DAG (docs/formats.md §9.3): a node per dvc.yaml stage and per .dvc file (a data source), and an
// edge from a node to every node producing one of its dependencies: an output equal to the dependency, inside
// it (a dependency on a directory of outputs) or containing it. Built with a sorted index of output paths, so
// thousands of stages with tens of thousands of edges cost milliseconds. Output conflicts and cycles are
// errors that name every party.
import { CycleError, OutputDuplicateError, OutputOverlapError } from "./errors.js";

export interface GraphNode {
  /** Address: "train@small", "sub/dvc.yaml:train", or the .dvc file's repo-relative path. */
  id: string;
  kind: "stage" | "pointer";
  /** Repo-relative output paths. */
  outs: string[];
  /** Repo-relative dependency paths inside the repository. */
  deps: string[];
}

export interface PipelineGraph {
  /** Nodes in discovery order. */
  nodes: GraphNode[];
  byId: Map<string, GraphNode>;
  /** id → ids of the nodes producing its dependencies, in the order of its deps (DVC's edge direction). */
  upstream: Map<string, string[]>;
  /** id → ids of the nodes that depend on it, in node order. */
  downstream: Map<string, string[]>;
  /** Repo-relative output path → id of the node producing it. */
  producers: Map<string, string>;
  /** The output paths, sorted for directory queries. */
  index: OutIndex;
}

/** The parent directories of a repo-relative path, nearest first ("a/b/c" → "a/b", "a"). */
export function* ancestors(path: string): Generator<string> {
  for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) yield path.slice(0, i);
}

/** Output paths sorted by code point, for "every output under this directory" range queries. */
export class OutIndex {
  private readonly sorted: string[];
  constructor(paths: Iterable<string>) {
    this.sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  /** Outputs strictly inside directory `dir`. */
  under(dir: string): string[] {
    const prefix = `${dir}/`;
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.startsWith(prefix); i++) found.push(this.sorted[i]!);
    return found;
  }
}

/** Whether some node produces `path`: as an output, inside an output, or as a directory holding outputs. */
export function isProduced(graph: PipelineGraph, path: string): boolean {
  if (graph.producers.has(path)) return true;
  for (const dir of ancestors(path)) if (graph.producers.has(dir)) return true;
  return graph.index.under(path).length > 0;
}

export function buildGraph(nodes: GraphNode[]): PipelineGraph {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const producers = new Map<string, string>();
  for (const node of nodes) {
    for (const out of node.outs) {
      const other = producers.get(out);
      if (other !== undefined) throw new OutputDuplicateError(out, other, node.id);
      producers.set(out, node.id);
    }
  }
  for (const [out, id] of producers) {
    for (const dir of ancestors(out)) {
      const other = producers.get(dir);
      if (other !== undefined) throw new OutputOverlapError(dir, other, out, id);
    }
  }
  const index = new OutIndex(producers.keys());
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const node of nodes) {
    const ups: string[] = [];
    const add = (id: string | undefined): void => {
      if (id !== undefined && !ups.includes(id)) ups.push(id);
    };
    for (const dep of node.deps) {
      add(producers.get(dep));
      for (const dir of ancestors(dep)) add(producers.get(dir));
      for (const out of index.under(dep)) add(producers.get(out));
    }
    upstream.set(node.id, ups);
    for (const up of ups) downstream.get(up)?.push(node.id);
  }
  const graph: PipelineGraph = { nodes, byId, upstream, downstream, producers, index };
  const cycle = findCycle(graph);
  if (cycle) throw new CycleError(cycle);
  return graph;
}

/** A cycle as the list of ids along it, first id repeated at the end ("a → b → a"), or null. */
export function findCycle(graph: PipelineGraph): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  for (const start of graph.nodes) {
    if (state.has(start.id)) continue;
    const path: string[] = [];
    const iters: Iterator<string>[] = [];
    const enter = (id: string): void => {
      state.set(id, 1);
      path.push(id);
      iters.push((graph.upstream.get(id) ?? [])[Symbol.iterator]());
    };
    enter(start.id);
    while (iters.length > 0) {
      const next = iters[iters.length - 1]!.next();
      if (next.done) {
        state.set(path.pop()!, 2);
        iters.pop();
        continue;
      }
      const s = state.get(next.value);
      // upstream edges point from a stage to what it needs; the cycle reads in run order (producer first)
      if (s === 1) return [...path.slice(path.indexOf(next.value)), next.value].reverse();
      if (s === undefined) enter(next.value);
    }
  }
  return null;
}

/**
 * The nodes to visit for `targets`, dependencies first: every target and what it needs (or, with
 * `downstream`, every target and what needs it), in DVC's depth-first post-order. With `single`, only
 * the targets. `stopAt` nodes (frozen stages) are visited but not walked through.
 */
export function planSteps(
  graph: PipelineGraph,
  targets: string[],
  opts: { downstream?: boolean; single?: boolean; stopAt?: (id: string) => boolean } = {},
): string[] {
  if (opts.single) return [...new Set(targets)];
  const edges = opts.downstream ? graph.downstream : graph.upstream;
  const seen = new Set<string>();
  const order: string[] = [];
  for (const target of targets) {
    if (seen.has(target)) continue;
    seen.add(target);
    const stack: Array<{ id: string; it: Iterator<string> }> = [];
    const open = (id: string): void => {
      const next = opts.stopAt?.(id) && !opts.downstream ? [] : (edges.get(id) ?? []);
      stack.push({ id, it: next[Symbol.iterator]() });
    };
    open(target);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const n = top.it.next();
      if (n.done) {
        order.push(top.id);
        stack.pop();
      } else if (!seen.has(n.value)) {
        seen.add(n.value);
        open(n.value);
      }
    }
  }
  return opts.downstream ? order.reverse() : order;
}

/** Weakly connected components in node order, each listing its ids in node order (DVC's get_pipelines). */
export function components(graph: PipelineGraph): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const order = new Map(graph.nodes.map((n, i) => [n.id, i] as const));
  for (const start of graph.nodes) {
    if (seen.has(start.id)) continue;
    const members: string[] = [];
    const queue = [start.id];
    seen.add(start.id);
    while (queue.length > 0) {
      const id = queue.pop()!;
      members.push(id);
      for (const n of [...(graph.upstream.get(id) ?? []), ...(graph.downstream.get(id) ?? [])]) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    out.push(members.sort((a, b) => order.get(a)! - order.get(b)!));
  }
  return out;
}
