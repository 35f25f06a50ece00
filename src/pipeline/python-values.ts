// Python literal values (python-literal.ts) as params data: ints as numbers (bigint past 2^53), floats as PyFloat
// with `keepFloats`, tuples and sets as lists, dict keys merged by Python equality and written as str() gives them.
import { PyFloat } from "../util/py-float.js";
import type { PyVal } from "./python-literal.js";
import { PySyntaxError } from "./python-tokens.js";

export const UNSUPPORTED = Symbol("unsupported");

/** Plain data for a literal; dict keys by Python equality (1 == 1.0 == True: the first key, the last value). */
export function toData(v: PyVal, keepFloats: boolean, line: number): unknown {
  switch (v.k) {
    case "int":
      return v.v >= BigInt(Number.MIN_SAFE_INTEGER) && v.v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.v) : v.v;
    case "float":
      return keepFloats ? new PyFloat(v.v) : v.v;
    case "str":
      return v.v;
    case "bool":
      return v.v;
    case "none":
      return null;
    case "list":
    case "tuple":
    case "set": {
      const items = v.k === "set" ? dedupe(v.items, line) : v.items;
      const out = items.map((x) => toData(x, keepFloats, line));
      return out.includes(UNSUPPORTED) ? UNSUPPORTED : out;
    }
    case "dict": {
      const byKey = new Map<string, [PyVal, PyVal]>();
      for (const [key, val] of v.entries) {
        const id = hashId(key, line);
        const prev = byKey.get(id);
        byKey.set(id, [prev ? prev[0] : key, val]);
      }
      const out: [string, unknown][] = [];
      for (const [key, val] of byKey.values()) {
        const k = keyText(key);
        const x = toData(val, keepFloats, line);
        if (k === undefined || x === UNSUPPORTED) return UNSUPPORTED;
        out.push([k, x]);
      }
      return Object.fromEntries(out);
    }
    default:
      return UNSUPPORTED; // complex, bytes, Ellipsis
  }
}

function dedupe(items: PyVal[], line: number): PyVal[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const id = hashId(x, line);
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

/** Python's hash equality as a string; lists, dicts and sets are unhashable (a TypeError in DVC too). */
function hashId(v: PyVal, line: number): string {
  switch (v.k) {
    case "int":
      return `n${v.v}`;
    case "bool":
      return v.v ? "n1" : "n0";
    case "float":
      return Number.isInteger(v.v) ? `n${BigInt(v.v)}` : `f${v.v}`;
    case "str":
      return `s${v.v}`;
    case "bytes":
      return `b${v.v}`;
    case "none":
      return "none";
    case "tuple":
      return `t(${v.items.map((x) => hashId(x, line)).join(",")})`;
    case "complex":
    case "ellipsis":
      return `${v.k}${Math.random()}`; // never a params value: any id will do
    default:
      throw new PySyntaxError(line, `unhashable type: '${v.k}'`);
  }
}

/** str() of a dict key, as the key of our mapping; undefined for keys with no such form (tuples, bytes…). */
function keyText(k: PyVal): string | undefined {
  if (k.k === "str") return k.v;
  if (k.k === "int") return k.v.toString();
  if (k.k === "bool") return k.v ? "True" : "False";
  if (k.k === "none") return "None";
  if (k.k === "float") return String(new PyFloat(k.v));
  return undefined;
}
