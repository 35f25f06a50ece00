// Hand-written on purpose: JSON.stringify differs from Python (separators, ASCII escapes, float repr).
// Python's json.dumps(obj, sort_keys=True) byte for byte (docs/formats.md §5.2, §13.4). Used for .dir
// manifests, stage checksums, run-cache keys and experiment hashes.
import { PyFloat, pyFloatRepr, pyIntRepr } from "./py-float.js";

/** Compares strings by Unicode code point, as Python does (JS `<` compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Only a surrogate (astral char) against a BMP char >= U+E000 orders differently.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** A JSON string literal with Python's ensure_ascii escaping (`\u00e9`, surrogate pairs, `/` kept). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/; // printable ASCII except " and \\ needs no escaping

export function pyJsonString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function pyJsonFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return pyFloatRepr(n);
}

/**
 * Serializes like Python `json.dumps(value, sort_keys=True)`: `", "` and `": "` separators,
 * keys sorted by code point at every level, ensure_ascii escaping, Python float repr for
 * PyFloat and non-integral numbers. Object members whose value is `undefined` are skipped.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return pyJsonString(value);
  if (typeof value === "bigint") return pyIntRepr(value);
  if (typeof value === "number") return Number.isInteger(value) ? pyIntRepr(value) : pyJsonFloat(value);
  if (value instanceof PyFloat) return pyJsonFloat(value.value);
  if (Array.isArray(value)) return `[${value.map((v) => pyJsonDumps(v)).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`).join(", ")}}`;
  }
  throw new TypeError(`pyJsonDumps: cannot serialize a value of type ${typeof value}`);
}
