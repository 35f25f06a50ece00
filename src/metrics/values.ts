// Leaf values of metrics and params files with Python's semantics: the int/float distinction (PyFloat keeps
// `1.0` a float), bool as an int, `==` across numeric types, `new - old`, and the text DVC prints for each.
import { PyFloat, pyFloatRepr, pyIntRepr } from "../util/py-float.js";
import { pyRound } from "../util/py-round.js";

/** A flattened value: what one cell of a metrics/params table holds. null = missing (`-`). */
export type Leaf = string | number | bigint | boolean | PyFloat | null;

/** Python's isinstance(v, (int, float)): numbers, bools (a bool is an int), bigints, PyFloats. */
export const isNumeric = (v: unknown): v is number | bigint | boolean | PyFloat =>
  typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || v instanceof PyFloat;

/** Python's isinstance(v, float). */
export const isFloat = (v: unknown): v is number | PyFloat =>
  v instanceof PyFloat || (typeof v === "number" && !Number.isInteger(v));

const toNumber = (v: number | bigint | boolean | PyFloat): number =>
  v instanceof PyFloat ? v.value : typeof v === "boolean" ? Number(v) : Number(v);

const toBigInt = (v: number | bigint | boolean): bigint =>
  typeof v === "bigint" ? v : typeof v === "boolean" ? BigInt(Number(v)) : BigInt(v);

/** Python's `a == b` for leaves: 1 == 1.0 == True, strings only equal strings, None only None. */
export function leafEquals(a: unknown, b: unknown): boolean {
  const na = a === undefined ? null : a;
  const nb = b === undefined ? null : b;
  if (isNumeric(na) && isNumeric(nb)) {
    if (typeof na === "bigint" || typeof nb === "bigint") {
      if (isFloat(na) || isFloat(nb)) return toNumber(na) === toNumber(nb);
      return toBigInt(na as number | bigint | boolean) === toBigInt(nb as number | bigint | boolean);
    }
    return toNumber(na) === toNumber(nb);
  }
  if (Array.isArray(na) && Array.isArray(nb))
    return na.length === nb.length && na.every((x: unknown, i) => leafEquals(x, nb[i]));
  return na === nb;
}

/** Python's `new - old` for two numeric leaves: an int unless either side is a float. */
export function subtract(newV: number | bigint | boolean | PyFloat, oldV: number | bigint | boolean | PyFloat): Leaf {
  if (isFloat(newV) || isFloat(oldV)) {
    const d = toNumber(newV) - toNumber(oldV);
    return Number.isInteger(d) ? new PyFloat(d) : d;
  }
  const a = newV as number | bigint | boolean;
  const b = oldV as number | bigint | boolean;
  if (typeof a !== "bigint" && typeof b !== "bigint") {
    const d = Number(a) - Number(b);
    if (Number.isSafeInteger(d)) return d;
  }
  const big = toBigInt(a) - toBigInt(b);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * The text DVC prints for a value: `-` for missing, True/False, ints as digits, floats as Python's repr,
 * rounded with Python's round(x, precision) when a precision is given (DVC's --precision, 5 by default
 * for metrics; never for params). Strings as they are.
 */
export function formatLeaf(v: unknown, precision?: number): string {
  if (v === null || v === undefined) return "-";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "bigint") return pyIntRepr(v);
  if (isFloat(v)) {
    const x = v instanceof PyFloat ? v.value : v;
    return pyFloatRepr(precision ? pyRound(x, precision) : x);
  }
  if (typeof v === "number") return pyIntRepr(v);
  return String(v);
}

/** A leaf for JSON output: floats as plain numbers, big ints as numbers (JSON has no other kind). */
export function jsonLeaf(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v === undefined ? null : v;
}
