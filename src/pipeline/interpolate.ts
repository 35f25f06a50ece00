// `${}` interpolation as DVC's dvc/parsing/interpolate.py: dotted paths with `[index]`, `\${` escapes,
// a string that is exactly one `${expr}` keeps the value's native type, otherwise values are
// stringified (DVC's to_str) and only primitives may be embedded, except mappings inside `cmd`.
import { PyFloat } from "../util/py-float.js";
import { dvcToStr, isPlainObject, CliArgsError } from "./py-str.js";
import type { ParsingConfig } from "./types.js";

/** A failed lookup or a malformed expression; load.ts adds the file and the stage key. */
export class InterpolationError extends Error {}

export type Vars = Record<string, unknown>;

export interface ResolveOptions {
  /** The stage key being resolved ("cmd", "outs", ...); undefined for foreach/matrix/top-level data. */
  key?: string;
  config?: ParsingConfig;
}

const KEYCRE = /(?<!\\)\$\{(.*?)\}/g;

export function hasInterpolation(value: unknown): boolean {
  return typeof value === "string" && new RegExp(KEYCRE.source).test(value);
}

/** Recursively resolves strings (including mapping keys) in `src` against `vars`. */
export function resolveData(src: unknown, vars: Vars, opts: ResolveOptions = {}): unknown {
  if (typeof src === "string") return resolveStr(src, vars, opts);
  if (Array.isArray(src)) return src.map((v) => resolveData(v, vars, opts));
  if (isPlainObject(src)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(src)) {
      out[String(resolveStr(k, vars, opts))] = resolveData(v, vars, opts);
    }
    return out;
  }
  return src;
}

/** Resolves one string: native value for an exact `${expr}`, else the concatenated string. */
export function resolveStr(src: string, vars: Vars, opts: ResolveOptions = {}): unknown {
  const matches = [...src.matchAll(KEYCRE)];
  const first = matches[0];
  if (matches.length === 1 && first && first[0] === src) {
    const value = select(vars, parseExpr(first[1] ?? ""));
    validateValue(value, opts.key);
    return value;
  }
  let buf = "";
  let index = 0;
  for (const m of matches) {
    const value = select(vars, parseExpr(m[1] ?? ""));
    validateValue(value, opts.key);
    buf += src.slice(index, m.index) + toStr(value, opts.config);
    index = m.index + m[0].length;
  }
  buf += src.slice(index);
  return buf.replaceAll("\\${", "${");
}

/** Checks every `${}` expression in `src` for syntax errors without resolving it. */
export function checkSyntax(src: unknown): void {
  if (typeof src === "string") {
    for (const m of src.matchAll(KEYCRE)) parseExpr(m[1] ?? "");
  } else if (Array.isArray(src)) {
    src.forEach(checkSyntax);
  } else if (isPlainObject(src)) {
    for (const [k, v] of Object.entries(src)) {
      checkSyntax(k);
      checkSyntax(v);
    }
  }
}

function toStr(value: unknown, config: ParsingConfig | undefined): string {
  try {
    return dvcToStr(value, config);
  } catch (err) {
    if (err instanceof CliArgsError) throw new InterpolationError(err.message);
    throw err;
  }
}

function validateValue(value: unknown, key: string | undefined): void {
  const primitive =
    value === null || value instanceof PyFloat || ["string", "number", "boolean", "bigint"].includes(typeof value);
  if (primitive || key === undefined || key.includes("foreach")) return;
  if (isPlainObject(value) && key === "cmd") return;
  throw new InterpolationError(`Cannot interpolate data of type '${Array.isArray(value) ? "list" : "dict"}'`);
}

/** Parses `a.b[0].c` into its parts: word (`.word` | `[word]`)*, words exclude `.`, `[` and `]`. */
export function parseExpr(expr: string): string[] {
  const parts: string[] = [];
  const re = /^([^.[\]]+)((?:\.[^.[\]]+|\[[^.[\]]+\])*)$/;
  const m = re.exec(expr.trimStart());
  if (!m || (m[1] ?? "").trim() === "") throw new InterpolationError(`invalid expression '\${${expr}}'`);
  parts.push(m[1] ?? "");
  for (const piece of (m[2] ?? "").matchAll(/\.([^.[\]]+)|\[([^.[\]]+)\]/g)) parts.push(piece[1] ?? piece[2] ?? "");
  return parts.map((p) => p.trim());
}

/** Looks `parts` up in `vars`; list indexes follow Python's int() (negative indexes count from the end). */
export function select(vars: Vars, parts: string[]): unknown {
  let node: unknown = vars;
  for (const part of parts) {
    if (Array.isArray(node)) {
      if (!/^[+-]?\d+$/.test(part)) throw notFound(parts);
      const i = Number(part);
      const idx = i < 0 ? node.length + i : i;
      if (idx < 0 || idx >= node.length) throw notFound(parts);
      node = node[idx];
    } else if (isPlainObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, part)) throw notFound(parts);
      node = node[part];
    } else {
      throw notFound(parts);
    }
  }
  return node;
}

function notFound(parts: string[]): InterpolationError {
  return new InterpolationError(`Could not find '${parts.join(".")}'`);
}
