// Parsing metrics and params files by suffix as DVC does (docs/formats.md §10.1: .json, .toml, .py, anything else
// YAML; the suffix runs from the first dot of the name), keeping Python's value types, and DVC's selection of what
// a file contributes: metrics keep numbers, strings and booleans (lists and nulls dropped); params the tracked keys.
import { ParamsFileError } from "../pipeline/errors.js";
import { paramsSuffix, parseParamsFile } from "../pipeline/params-file.js";
import { parseToml, TomlError } from "../pipeline/toml.js";
import { pyStr } from "../pipeline/py-str.js";
import { PyFloat } from "../util/py-float.js";
import { PyJsonError, parsePyJson } from "../util/py-json-parse.js";
import { parseYaml, YamlSyntaxError } from "../util/yaml.js";
import { MetricsFileError } from "./errors.js";
import { isMapping, mapLeaves } from "./flatten.js";

/** Parses a metrics file; the top level may be anything (a scalar file is one metric named ""). */
export function parseMetricsText(text: string, file: string): unknown {
  const ext = paramsSuffix(file);
  try {
    if (ext === ".json") return parsePyJson(text);
    if (ext === ".toml") return parseToml(text, { keepFloats: true });
    if (ext === ".py") return parseParamsFile(text, file, { keepFloats: true });
    return text.trim() === "" ? null : parseYaml(text, file, { keepFloats: true });
  } catch (err) {
    if (err instanceof PyJsonError || err instanceof YamlSyntaxError || err instanceof TomlError)
      throw new MetricsFileError(file, err.message, err);
    if (err instanceof ParamsFileError) throw new MetricsFileError(file, err.reason, err);
    throw err;
  }
}

/** Parses a params file (the top level must be a mapping); JSON keeps Python's float/int distinction. */
export function parseParamsText(text: string, file: string): Record<string, unknown> {
  if (paramsSuffix(file) !== ".json") return parseParamsFile(text, file, { keepFloats: true });
  let data: unknown;
  try {
    data = parsePyJson(text);
  } catch (err) {
    if (err instanceof PyJsonError) throw new ParamsFileError(file, err.message, err);
    throw err;
  }
  if (!isMapping(data)) throw new ParamsFileError(file, "expected a mapping at the top level");
  return data;
}

const isMetricLeaf = (v: unknown): boolean =>
  typeof v === "string" ||
  typeof v === "boolean" ||
  typeof v === "number" ||
  typeof v === "bigint" ||
  v instanceof PyFloat;

/**
 * DVC's _extract_metrics plus `val or {}`: numbers, strings and booleans are kept through nested mappings,
 * lists, nulls and mappings left empty are dropped. A scalar top level stays a scalar (unless falsy).
 */
export function extractMetrics(data: unknown): unknown {
  const extract = (v: unknown): unknown => {
    if (isMetricLeaf(v)) return v;
    if (!isMapping(v)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const m = extract(x);
      if (m !== undefined && !(isMapping(m) && Object.keys(m).length === 0)) out[k] = m;
    }
    return out;
  };
  const v = extract(data);
  const falsy = v === undefined || v === 0 || v === "" || v === false || v === 0n;
  return falsy || (v instanceof PyFloat && v.value === 0) ? {} : v;
}

/**
 * The part of a params file a stage tracks (DVC's read_param_file with dpath.search, separator "."):
 * each key path selects a value or a whole sub-mapping; missing keys are left out. null = the whole file.
 */
export function selectParams(data: Record<string, unknown>, keys: readonly string[] | null): Record<string, unknown> {
  if (keys === null || keys.length === 0) return data;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const parts = key.split(".");
    let v: unknown = data;
    for (const p of parts) v = isMapping(v) && Object.prototype.hasOwnProperty.call(v, p) ? v[p] : undefined;
    if (v === undefined) continue;
    let target = out;
    parts.slice(0, -1).forEach((p) => {
      if (!isMapping(target[p])) target[p] = {};
      target = target[p] as Record<string, unknown>;
    });
    const last = parts[parts.length - 1]!;
    target[last] = isMapping(v) && isMapping(target[last]) ? { ...(target[last] as object), ...v } : v;
  }
  return out;
}

/** DVC's params `_format`: lists (and anything else that is not a mapping or scalar) become Python str(). */
export function paramsForDisplay(data: Record<string, unknown>): Record<string, unknown> {
  return mapLeaves(data, (v) => (Array.isArray(v) ? pyStr(v) : v)) as Record<string, unknown>;
}
