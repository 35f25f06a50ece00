// `dvx dag` output formats, each as DVC prints it (docs/formats.md §9.3): Mermaid (`--mermaid`, and `--md` in
// a fenced block), Graphviz dot (`--dot`), the ASCII drawing, and JSON. Pure functions of a DagView.
import { compareCodePoints as byCodePoint } from "../util/py-json.js";
import { drawAscii } from "./dag-ascii.js";

export interface DagView {
  /** Node labels (stage addresses, .dvc files, or output paths with --outs) in graph order. */
  nodes: string[];
  /** label → labels of the nodes it depends on, in the order of its dependencies (DVC's edge order). */
  upstream: Map<string, string[]>;
}

/** label → labels depending on it, in node order. */
export function downstreamOf(view: DagView): Map<string, string[]> {
  const down = new Map<string, string[]>(view.nodes.map((n) => [n, []]));
  for (const n of view.nodes) for (const u of view.upstream.get(n) ?? []) down.get(u)?.push(n);
  return down;
}

/** Weakly connected components in order of their first node; members in node order. */
export function dagComponents(view: DagView): string[][] {
  const down = downstreamOf(view);
  const order = new Map(view.nodes.map((n, i) => [n, i] as const));
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of view.nodes) {
    if (seen.has(start)) continue;
    seen.add(start);
    const members: string[] = [];
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.pop()!;
      members.push(id);
      for (const n of [...(view.upstream.get(id) ?? []), ...(down.get(id) ?? [])]) {
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

/** DVC's `dag --mermaid` (`markdown`: `--md`). Ends without a newline, as DVC's string does. */
export function renderMermaid(view: DagView, markdown: boolean): string {
  const lines = ["flowchart TD"];
  let total = 0;
  for (const comp of dagComponents(view)) {
    const ids = new Map<string, string>();
    for (const node of [...comp].sort(byCodePoint)) {
      const id = `node${++total}`;
      ids.set(node, id);
      lines.push(`\t${id}["${node}"]`);
    }
    const edges: Array<[string, string]> = [];
    for (const n of comp) for (const u of view.upstream.get(n) ?? []) edges.push([u, n]);
    edges.sort((a, b) => byCodePoint(a[0], b[0]) || byCodePoint(a[1], b[1]));
    for (const [u, n] of edges) lines.push(`\t${ids.get(u)!}-->${ids.get(n)!}`);
  }
  const graph = lines.join("\n");
  return markdown ? `\`\`\`mermaid\n${graph}\n\`\`\`` : graph;
}

const quote = (label: string): string => (label.startsWith('"') || label.endsWith('"') ? label : `"${label}"`);

/** DVC's `dag --dot` (networkx + pydot, edges from dependency to dependent), ending with a newline. */
export function renderDot(view: DagView): string {
  const down = downstreamOf(view);
  const parts = ["strict digraph  {\n"];
  for (const n of view.nodes) parts.push(`${quote(n)};\n`);
  for (const n of view.nodes) for (const d of down.get(n)!) parts.push(`${quote(n)} -> ${quote(d)};\n`);
  parts.push("}\n");
  return parts.join("");
}

/** DVC's terminal drawing: one picture per connected pipeline, separated by newlines. */
export function renderAscii(view: DagView): string {
  return dagComponents(view)
    .map((comp) => {
      const index = new Map(comp.map((n, i) => [n, i] as const));
      const edges: Array<[number, number]> = [];
      for (const n of comp) for (const u of view.upstream.get(n) ?? []) edges.push([index.get(u)!, index.get(n)!]);
      return drawAscii(comp, edges);
    })
    .join("\n");
}

export interface DagJson {
  nodes: string[];
  /** Data flows from → to: `from` is a dependency of `to`. */
  edges: Array<{ from: string; to: string }>;
}

export function dagJson(view: DagView): DagJson {
  const down = downstreamOf(view);
  const edges: DagJson["edges"] = [];
  for (const n of view.nodes) for (const d of down.get(n)!) edges.push({ from: n, to: d });
  return { nodes: [...view.nodes], edges };
}
