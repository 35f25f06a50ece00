// Hand-written on purpose: these are Python's str()/shlex rules, which no JavaScript library reproduces.
// String conversions that must match what DVC (Python) writes into resolved commands, paths and
// generated stage names: str() of numbers, DVC's to_str (booleans as true/false), and dict → CLI flags.
import { PyFloat, pyFloatRepr, pyIntRepr } from "../util/py-float.js";
import type { ParsingConfig } from "./types.js";

/**
 * Python's str() of a number parsed from YAML/JSON. JS numbers do not keep the int/float
 * distinction, so an integral float (`1.0` in YAML) prints as `1`, not `1.0` as Python would
 * (pass a PyFloat to keep it). Integral values from 1e16 on print as Python floats (`1e+16`):
 * beyond 2**53 a JS number cannot hold a YAML int exactly anyway, while floats like `1.5e20` are common.
 */
export function pyNumberStr(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return pyIntRepr(n);
  return pyFloatRepr(n);
}

/** Python's str() for the plain data YAML/JSON produce (repr inside containers). */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  return pyRepr(value);
}

function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyNumberStr(value);
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === "bigint") return pyIntRepr(value);
  if (typeof value === "string") return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`);
    return `{${parts.join(", ")}}`;
  }
  return String(value);
}

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(new RegExp(quote, "g"), `\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** DVC's to_str: booleans as `true`/`false`, mappings as CLI flags, everything else as Python str(). */
export function dvcToStr(value: unknown, config: ParsingConfig = {}): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isPlainObject(value)) return dictToCliArgs(value, config);
  return pyStr(value);
}

/** POSIX shell quoting exactly as Python's shlex.quote. */
export function shlexQuote(s: string): string {
  if (s === "") return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** A mapping interpolated into `cmd`: `--key value` per flattened key (see docs/formats.md §8.6). */
export function dictToCliArgs(obj: Record<string, unknown>, config: ParsingConfig = {}): string {
  let out = "";
  for (const [k, v] of Object.entries(flattenDict(obj))) {
    if (typeof v === "boolean") {
      if (v) out += `--${k} `;
      else if (config.bool === "boolean_optional") out += `--no-${k} `;
    } else if (typeof v === "string") {
      out += `--${k} ${shlexQuote(v)} `;
    } else if (Array.isArray(v)) {
      v.forEach((item: unknown, n) => {
        if (Array.isArray(item) || isPlainObject(item)) throw new CliArgsError(k);
        // Python formats list items with f"{i}": str() of the item (True, None, 0.1 ...).
        const text = typeof item === "string" ? shlexQuote(item) : pyStr(item);
        if (config.list === "append") out += `--${k} ${text} `;
        else out += n > 0 ? `${text} ` : `--${k} ${text} `;
      });
    } else {
      out += `--${k} ${pyStr(v)} `;
    }
  }
  return out.trimEnd();
}

/** Raised for a list nested inside a list when building CLI flags. */
export class CliArgsError extends Error {
  constructor(readonly key: string) {
    super(`Cannot interpolate nested iterable in '${key}'`);
  }
}

function flattenDict(
  obj: Record<string, unknown>,
  prefix = "",
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    // flatten_dict drops empty mappings.
    if (isPlainObject(v)) flattenDict(v, key, out);
    else out[key] = v;
  }
  return out;
}

/** A mapping as parsed from YAML/JSON/TOML (not an array, Buffer or class instance such as PyFloat). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Replaces PyFloat leaves by plain numbers (for values handed out of the pipeline model). */
export function unwrapFloats(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(unwrapFloats);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapFloats(x)]));
  return v;
}
