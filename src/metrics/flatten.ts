// flatten_dict(d, reducer="dot") as DVC uses it for metrics and params: nested mappings become "a.b.c" keys,
// empty mappings disappear, every other value (lists included) is a leaf.
import { PyFloat } from "../util/py-float.js";

/** A mapping as the file parsers build it (not an array, PyFloat or other class instance). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof PyFloat) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function flatten(obj: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix === "" ? k : `${prefix}.${k}`;
      if (isMapping(v)) walk(v, key);
      else out.set(key, v);
    }
  };
  walk(obj, "");
  return out;
}

/** Deep-maps the leaves of nested mappings (lists are leaves). */
export function mapLeaves(v: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (!isMapping(v)) return fn(v);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapLeaves(x, fn)]));
}
