// Reads params/vars files by extension as DVC does (docs/formats.md §10.1): .json, .toml, .py, else YAML.
import { posix } from "node:path";
import type { TreeReader } from "../git/tree-reader.js";
import { parseYaml, YamlSyntaxError } from "../util/yaml.js";
import { ParamsFileError } from "./errors.js";
import { isPlainObject } from "./py-str.js";
import { parsePythonParams, PySyntaxError } from "./python-params.js";
import { parseToml, TomlError } from "./toml.js";

export type ParamsData = Record<string, unknown>;

export interface ParamsParseOptions {
  /** YAML, TOML and Python floats come back as PyFloat (JSON floats stay numbers: `1.0` reads as `1`). */
  keepFloats?: boolean;
}

/** Parses params file text; the top level must be a mapping. */
export function parseParamsFile(text: string, file: string, opts: ParamsParseOptions = {}): ParamsData {
  const keepFloats = opts.keepFloats === true;
  const ext = paramsSuffix(file);
  let data: unknown;
  try {
    if (ext === ".json") data = JSON.parse(text);
    else if (ext === ".toml") data = parseToml(text, { keepFloats });
    else if (ext === ".py") data = parsePythonParams(text, { keepFloats });
    else data = text.trim() === "" ? {} : parseYaml(text, file, { keepFloats });
  } catch (err) {
    if (
      err instanceof SyntaxError ||
      err instanceof YamlSyntaxError ||
      err instanceof TomlError ||
      err instanceof PySyntaxError
    ) {
      throw new ParamsFileError(file, err.message, err);
    }
    throw err;
  }
  if (!isPlainObject(data)) {
    throw new ParamsFileError(file, `expected a mapping at the top level, got ${describe(data)}`);
  }
  return data;
}

/** Reads and parses a params file through `reader`; a missing file is a ParamsFileError. */
export async function readParamsFile(
  reader: TreeReader,
  path: string,
  opts: ParamsParseOptions = {},
): Promise<ParamsData> {
  const buf = await reader.readFile(path);
  if (buf === null) throw new ParamsFileError(path, "it does not exist");
  return parseParamsFile(buf.toString("utf8"), path, opts);
}

/**
 * The suffix DVC picks the reader by (dvc-objects' FileSystem.suffix, lower-cased): everything from the FIRST dot
 * of the file name, so `params.local.json` is read as YAML and a dotfile `.json` as JSON — not path.extname's.
 */
export function paramsSuffix(file: string): string {
  const base = posix.basename(file);
  const dot = base.indexOf(".");
  return dot < 0 ? "" : base.slice(dot).toLowerCase();
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v}`;
}
