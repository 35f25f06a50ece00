// Reads params/vars files by extension as DVC does (docs/formats.md §10.1): .json, .toml, .py, else YAML.
import type { TreeReader } from "../git/tree-reader.js";
import { parseYaml, YamlSyntaxError } from "../util/yaml.js";
import { ParamsFileError, UnsupportedParamsFormatError } from "./errors.js";
import { isPlainObject } from "./py-str.js";
import { parseToml, TomlError } from "./toml.js";

export type ParamsData = Record<string, unknown>;

export interface ParamsParseOptions {
  /** YAML and TOML floats come back as PyFloat (JSON floats stay numbers: `1.0` reads as `1`). */
  keepFloats?: boolean;
}

/** Parses params file text; the top level must be a mapping. `.py` files are not supported yet. */
export function parseParamsFile(text: string, file: string, opts: ParamsParseOptions = {}): ParamsData {
  const keepFloats = opts.keepFloats === true;
  const ext = extname(file);
  let data: unknown;
  try {
    if (ext === ".json") data = JSON.parse(text);
    else if (ext === ".toml") data = parseToml(text, { keepFloats });
    else if (ext === ".py") throw new UnsupportedParamsFormatError(file, "Python");
    else data = text.trim() === "" ? {} : parseYaml(text, file, { keepFloats });
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof YamlSyntaxError || err instanceof TomlError) {
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

function extname(file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot).toLowerCase();
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v}`;
}
