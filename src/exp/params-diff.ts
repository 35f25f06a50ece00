// The edits that turn one params mapping into another, at the deepest level a text editor can apply them:
// changed keys of two mappings are compared key by key; anything else (lists, scalars, type changes) is set whole.
import { PyFloat } from "../util/py-float.js";
import { pyEquals } from "../util/yaml.js";
import { isMapping } from "./override-apply.js";

export type Change =
  | { op: "set"; path: string[]; value: unknown }
  | { op: "add"; path: string[]; value: unknown }
  | { op: "delete"; path: string[] };

export function diffParams(old: Record<string, unknown>, next: Record<string, unknown>, path: string[] = []): Change[] {
  const out: Change[] = [];
  for (const k of Object.keys(old)) if (!(k in next)) out.push({ op: "delete", path: [...path, k] });
  for (const [k, v] of Object.entries(next)) {
    if (!(k in old)) out.push({ op: "add", path: [...path, k], value: v });
    else if (isMapping(old[k]) && isMapping(v)) out.push(...diffParams(old[k], v, [...path, k]));
    else if (!sameValue(old[k], v)) out.push({ op: "set", path: [...path, k], value: v });
  }
  return out;
}

/** The Python type a parsed value stands for. */
function kind(v: unknown): string {
  if (v instanceof PyFloat) return "float";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (v === null || v === undefined) return "none";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? "dict" : typeof v;
}

/** Equal and of the same Python types throughout (an int 1 replaced by a float 1.0 must be written). */
function sameValue(a: unknown, b: unknown): boolean {
  if (kind(a) !== kind(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return pyEquals(a, b);
}

/** The value at `path` in `data` (undefined when absent). */
export function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const p of path) {
    if (Array.isArray(node)) node = node[Number(p)];
    else if (isMapping(node)) node = node[p];
    else return undefined;
  }
  return node;
}
