// Helpers shared by the example's stages: params.yaml, CSV files, stable JSON, a seeded random
// generator and the error exit. Node built-ins only: the stages run with the Node that runs dvx.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The column the model predicts and the numeric columns it learns from. */
export const LABEL = "species";
export const FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];

/** An expected failure (bad params, bad input): printed as one line, without a stack. */
export class StageError extends Error {}

/** Runs a stage's main function; any failure prints "<stage>: error: …" on stderr and exits with 1. */
export function runStage(name, main) {
  Promise.resolve()
    .then(main)
    .catch((err) => {
      const text = err instanceof StageError ? err.message : (err?.stack ?? String(err));
      process.stderr.write(`${name}: error: ${text}\n`);
      process.exitCode = 1;
    });
}

// ---- params.yaml ---------------------------------------------------------------------------------

/** Reads params.yaml from the stage's working directory (the folder of dvc.yaml). */
export function readParams(file = "params.yaml") {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") throw new StageError(`${file} not found in ${process.cwd()}`);
    throw err;
  }
  return parseParams(text, file);
}

/**
 * Parses the YAML this example needs: nested block mappings of scalars (plain, quoted, numbers,
 * booleans, null) with comments. Anything else (lists, flow collections, anchors) is refused.
 */
export function parseParams(text, file = "params.yaml") {
  const root = {};
  const stack = [{ indent: -1, obj: root, childIndent: undefined }];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const line = stripComment(lines[i]).trimEnd();
    if (line.trim() === "" || (i === 0 && line === "---")) continue;
    const indent = line.length - line.trimStart().length;
    if (line.slice(0, indent).includes("\t")) throw new StageError(`${where}: tabs are not allowed for indentation`);
    while (indent <= stack.at(-1).indent) stack.pop();
    const top = stack.at(-1);
    if (top.childIndent === undefined) {
      top.childIndent = indent;
      if (top.obj === null) top.obj = top.parent[top.key] = {};
    } else if (indent !== top.childIndent) {
      throw new StageError(`${where}: bad indentation`);
    }
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#:\-?[\]{},&*!|>%@`][^:#]*?)\s*:(?:\s+(.*))?$/.exec(
      line.trim(),
    );
    if (!m) throw new StageError(`${where}: cannot read "${line.trim()}" (expected "key: value")`);
    const key = m[1].startsWith('"') || m[1].startsWith("'") ? scalar(m[1], where) : m[1];
    if (Object.hasOwn(top.obj, key)) throw new StageError(`${where}: duplicate key "${key}"`);
    if (m[2] === undefined || m[2] === "") {
      top.obj[key] = null;
      stack.push({ indent, obj: null, parent: top.obj, key, childIndent: undefined });
    } else {
      top.obj[key] = scalar(m[2], where);
    }
  }
  return root;
}

function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === "'" && quote === "'" && line[i + 1] === "'") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:]/.test(line[i - 1])) quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function scalar(raw, where) {
  const v = raw.trim();
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v);
    } catch {
      throw new StageError(`${where}: bad double-quoted string ${v}`);
    }
  }
  if (v.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(v)) throw new StageError(`${where}: bad single-quoted string ${v}`);
    return v.slice(1, -1).replaceAll("''", "'");
  }
  if (/^[[{&*!|>%@`-]/.test(v) && !/^-?[0-9.]/.test(v)) {
    throw new StageError(`${where}: "${v}" is YAML this example's reader does not handle (plain scalars only)`);
  }
  if (/^(null|Null|NULL|~)$/.test(v)) return null;
  if (/^(true|True|TRUE)$/.test(v)) return true;
  if (/^(false|False|FALSE)$/.test(v)) return false;
  if (/^[-+]?[0-9]+$/.test(v) || /^0x[0-9a-fA-F]+$/.test(v)) return Number(v);
  if (/^0o[0-7]+$/.test(v)) return parseInt(v.slice(2), 8);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(v)) return Number(v);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(v)) return v.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(v)) return NaN;
  return v;
}

/** The value at a dotted key ("train.lr"), or a StageError naming the missing key. */
export function param(params, key) {
  let node = params;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) {
      throw new StageError(`params.yaml has no "${key}" (see the README for the parameters each stage reads)`);
    }
    node = node[part];
  }
  return node;
}

/** A number param within [min, max] (and an integer when asked), or a StageError. */
export function numberParam(params, key, { min = -Infinity, max = Infinity, integer = false, exclusive = false } = {}) {
  const v = param(params, key);
  const kind = integer ? "an integer" : "a number";
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new StageError(`params.yaml: "${key}" must be ${kind}, got ${JSON.stringify(v)}`);
  }
  const below = exclusive ? v <= min : v < min;
  const above = exclusive ? v >= max : v > max;
  if (below || above) {
    const range = exclusive ? `between ${min} and ${max} (exclusive)` : `in [${min}, ${max}]`;
    throw new StageError(`params.yaml: "${key}" must be ${range}, got ${v}`);
  }
  return v;
}

/** A non-empty string param, or a StageError. */
export function stringParam(params, key) {
  const v = param(params, key);
  if (typeof v !== "string" || v === "") {
    throw new StageError(`params.yaml: "${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  }
  return v;
}

// ---- files ---------------------------------------------------------------------------------------

/** Reads a headed CSV without quoting (the example's data has none) into {header, rows}. */
export function readCsv(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") throw new StageError(`${file} not found (run the stage that writes it first)`);
    throw err;
  }
  return parseCsv(text, file);
}

export function parseCsv(text, file) {
  const lines = text.split(/\r?\n/).filter((l) => l !== "");
  if (lines.length === 0) throw new StageError(`${file} is empty`);
  const header = lines[0].split(",").map((h) => h.trim());
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== header.length) {
      throw new StageError(`${file}:${i + 2}: ${cells.length} fields, the header has ${header.length}`);
    }
    return cells;
  });
  return { header, rows };
}

/** The index of each named column, or a StageError listing the missing ones. */
export function columns(header, names, file) {
  const missing = names.filter((n) => !header.includes(n));
  if (missing.length > 0) throw new StageError(`${file} lacks the column(s) ${missing.join(", ")}`);
  return names.map((n) => header.indexOf(n));
}

/** Writes a file, creating its folder. */
export function writeOut(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** JSON with keys sorted at every level, 2-space indent and a final newline: the same data gives the same bytes. */
export function stableJson(value) {
  const sort = (v) => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sort(v[k])]),
    );
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

/** x rounded to `digits` decimals (fixed formatting for files that must not change between runs). */
export function round(x, digits = 6) {
  const r = Number(x.toFixed(digits));
  return Object.is(r, -0) ? 0 : r;
}

/** Class probabilities from scores (numerically stable). */
export function softmax(z) {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
