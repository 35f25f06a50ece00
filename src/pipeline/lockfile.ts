// dvc.lock reading (docs/formats.md §9.1) and discovery of dvc.yaml files in a tree.
import type { TreeReader } from "../git/tree-reader.js";
import { PipelineSchemaError, UnsafePathError } from "../errors.js";
import { parseYaml, YamlSyntaxError } from "../util/yaml.js";
import { dirOf, isExternalPath } from "./paths.js";
import { isPlainObject } from "./py-str.js";
import type { LockEntry, LockFile, LockItem } from "./types.js";

const ENTRY_KEYS = new Set(["cmd", "deps", "params", "outs"]);
/** Item keys DVC's lock schema accepts besides the core ones; kept in `extra`. */
const EXTRA_ITEM_KEYS = new Set(["etag", "checksum", "version_id", "cloud", "files", "dataset"]);

/** Parses dvc.lock text; `file` (repo-relative) is used in error messages. */
export function parseLockFile(text: string, file: string): LockFile {
  let data: unknown;
  try {
    data = parseYaml(text, file);
  } catch (err) {
    if (err instanceof YamlSyntaxError) throw new PipelineSchemaError(file, `invalid YAML: ${err.message}`);
    throw err;
  }
  const stages = new Map<string, LockEntry>();
  if (data === null || data === undefined) return { schema: "2.0", stages };
  if (!isPlainObject(data)) throw new PipelineSchemaError(file, "the top level must be a mapping");
  if (data.schema !== "2.0") {
    throw new PipelineSchemaError(
      file,
      `unsupported lock file schema ${JSON.stringify(data.schema ?? null)} (expected '2.0'; DVC 1 locks are not read)`,
    );
  }
  for (const key of Object.keys(data)) {
    if (key !== "schema" && key !== "stages" && key !== "datasets")
      throw new PipelineSchemaError(file, `unknown top-level key '${key}'`);
  }
  const raw = data.stages ?? {};
  if (!isPlainObject(raw)) throw new PipelineSchemaError(file, "'stages' must be a mapping");
  for (const [name, entry] of Object.entries(raw)) stages.set(name, parseEntry(name, entry, file));
  return { schema: "2.0", stages };
}

/** Reads `path` through `reader`; null when it does not exist. */
export async function readLockFile(reader: TreeReader, path: string): Promise<LockFile | null> {
  const buf = await reader.readFile(path);
  return buf === null ? null : parseLockFile(buf.toString("utf8"), path);
}

/** The dvc.lock that belongs to a dvc.yaml (same directory). */
export function lockPathFor(dvcYamlPath: string): string {
  const dir = dirOf(dvcYamlPath);
  return dir === "" ? "dvc.lock" : `${dir}/dvc.lock`;
}

function parseEntry(name: string, entry: unknown, file: string): LockEntry {
  const fail = (reason: string): never => {
    throw new PipelineSchemaError(file, `stage '${name}': ${reason}`);
  };
  if (!isPlainObject(entry)) return fail("entry must be a mapping");
  for (const key of Object.keys(entry)) if (!ENTRY_KEYS.has(key)) fail(`unknown key '${key}'`);
  const cmd = entry.cmd;
  if (!(typeof cmd === "string" || (Array.isArray(cmd) && cmd.every((c) => typeof c === "string"))))
    fail("'cmd' must be a string or a list");
  const params: Record<string, Record<string, unknown>> = {};
  if (entry.params !== undefined && entry.params !== null) {
    if (!isPlainObject(entry.params)) fail("'params' must be a mapping");
    for (const [pf, values] of Object.entries(entry.params as Record<string, unknown>)) {
      if (!isPlainObject(values)) fail(`params of '${pf}' must be a mapping`);
      params[pf] = values as Record<string, unknown>;
    }
  }
  return {
    cmd: cmd as string | string[],
    deps: items(entry.deps, "deps", fail).map((i) => parseItem(i, true, file, fail)),
    params,
    outs: items(entry.outs, "outs", fail).map((i) => parseItem(i, false, file, fail)),
  };
}

function items(v: unknown, key: string, fail: (r: string) => never): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`'${key}' must be a list`);
  return v as unknown[];
}

function parseItem(raw: unknown, isDep: boolean, file: string, fail: (r: string) => never): LockItem {
  if (!isPlainObject(raw)) return fail("each dep/out must be a mapping");
  const { path, hash, md5, size, nfiles, isexec, ...rest } = raw;
  if (typeof path !== "string" || path === "") return fail("each dep/out needs a 'path'");
  // Outputs must stay inside the repo; relative ".." is checked once joined with the stage wdir.
  if (!isDep && isExternalPath(path)) throw new UnsafePathError(path, file);
  for (const key of Object.keys(rest)) if (!EXTRA_ITEM_KEYS.has(key)) fail(`unknown key '${key}' in item '${path}'`);
  const item: LockItem = { path, extra: rest };
  if (hash !== undefined) {
    if (hash !== "md5") fail(`unsupported hash '${String(hash)}' for '${path}'`);
    item.hash = "md5";
  }
  if (md5 !== undefined && md5 !== null) {
    if (typeof md5 !== "string") fail(`'md5' of '${path}' must be a string`);
    item.md5 = md5 as string;
  }
  if (size !== undefined && size !== null) {
    if (typeof size !== "number" || !Number.isInteger(size)) fail(`'size' of '${path}' must be an integer`);
    item.size = size as number;
  }
  if (nfiles !== undefined && nfiles !== null) {
    if (typeof nfiles !== "number" || !Number.isInteger(nfiles)) fail(`'nfiles' of '${path}' must be an integer`);
    item.nfiles = nfiles as number;
  }
  if (isexec !== undefined) {
    if (typeof isexec !== "boolean") fail(`'isexec' of '${path}' must be a boolean`);
    item.isexec = isexec as boolean;
  }
  return item;
}
