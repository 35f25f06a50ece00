// `.dvc` pointer files (docs/formats.md §2): read with DVC's validation rules, write new files in DVC's
// canonical key order, and update existing files the way DVC does (layout and comments kept).
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { PointerFileError, UnsafePathError } from "../errors.js";
import type { HashInfo } from "../odb/types.js";
import { PyFloat } from "../util/py-float.js";
import { pyJsonDumps } from "../util/py-json.js";
import { parseYaml, updateYamlText, YamlSyntaxError } from "../util/yaml.js";
import { dumpYaml } from "../util/yaml-dump.js";

export interface PointerOut {
  /** As written: relative to the .dvc file's directory, POSIX. */
  path: string;
  /** Undefined when the entry has no md5 yet; name "md5" with `hash: md5`, else "md5-dos2unix" (legacy). */
  hash?: HashInfo;
  size?: number;
  nfiles?: number;
  isexec?: boolean;
  cache: boolean;
  push: boolean;
  persist?: boolean;
  remote?: string;
  /** desc/type/labels/meta/cloud/files/fs_config, preserved as parsed. */
  extra: Record<string, unknown>;
}

export interface PointerFile {
  outs: PointerOut[];
  deps: unknown[];
  md5?: string;
  frozen?: boolean;
  wdir?: string;
  desc?: string;
  meta?: unknown;
  raw: Record<string, unknown>;
}

/** Top-level fields of a new pointer file besides its outputs (imports set deps/frozen). */
export interface NewPointerFileOptions {
  desc?: string;
  /** Stage checksum; computed from deps/outs when deps are given and this is not. */
  md5?: string;
  wdir?: string;
  frozen?: boolean;
  deps?: unknown[];
  alwaysChanged?: boolean;
  meta?: unknown;
}

const TOP_KEYS = new Set(["outs", "deps", "md5", "frozen", "wdir", "desc", "meta", "always_changed", "locked"]);
const EXTRA_KEYS = ["cloud", "fs_config", "desc", "type", "labels", "meta", "files"] as const;
const OUT_KEYS = new Set([
  "md5",
  "size",
  "nfiles",
  "isexec",
  "hash",
  "path",
  "cache",
  "persist",
  "remote",
  "push",
  ...EXTRA_KEYS,
]);
const MD5_RE = /^[0-9a-f]{32}(?:\.dir)?$/i;
/** Keys DVC drops at every depth before hashing a stage (docs/formats.md §2.6). */
const STAGE_MD5_IGNORED = new Set([
  "desc",
  "type",
  "labels",
  "meta",
  "locked",
  "frozen",
  "metric",
  "persist",
  "isexec",
  "size",
  "nfiles",
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat);

function isUnsafePath(p: string): boolean {
  if (p === "" || p.includes("\0")) return true;
  if (p.startsWith("/") || p.startsWith("\\") || /^[A-Za-z]:/.test(p) || p.includes("://")) return true;
  return p.split(/[\\/]/).includes("..");
}

function checkType(file: string, where: string, value: unknown, ok: boolean, what: string): void {
  if (value !== undefined && !ok) throw new PointerFileError(file, `'${where}' must be ${what}`);
}

function optCount(file: string, where: string, v: unknown): number | undefined {
  if (v === null || v === undefined) return undefined;
  checkType(file, where, v, typeof v === "number" && Number.isInteger(v) && v >= 0, "a non-negative integer");
  return v as number;
}

function optBool(file: string, where: string, v: unknown): boolean | undefined {
  checkType(file, where, v, typeof v === "boolean", "true or false");
  return v as boolean | undefined;
}

function parseMd5(file: string, where: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== "string" || !MD5_RE.test(v)) {
    throw new PointerFileError(file, `'${where}' must be 32 hex digits (plus ".dir" for a directory)`);
  }
  return v.toLowerCase();
}

function parseOut(file: string, item: unknown, i: number): PointerOut {
  const at = `outs[${i}]`;
  if (!isObj(item)) throw new PointerFileError(file, `${at} must be a mapping`);
  for (const key of Object.keys(item)) {
    if (key === "metric" || key === "plot") {
      throw new PointerFileError(file, `${at}: '${key}' is only allowed in dvc.yaml, not in a .dvc file`);
    }
    if (!OUT_KEYS.has(key)) throw new PointerFileError(file, `${at}: unknown key '${key}'`);
  }
  const path = item.path;
  if (typeof path !== "string") throw new PointerFileError(file, `${at} needs a 'path' string`);
  if (isUnsafePath(path)) throw new UnsafePathError(path, file);
  const hashName = item.hash;
  if (hashName !== undefined && hashName !== "md5")
    throw new PointerFileError(file, `${at}: unsupported hash '${String(hashName)}'`);
  const md5 = parseMd5(file, `${at}.md5`, item.md5);
  const out: PointerOut = {
    path,
    cache: optBool(file, `${at}.cache`, item.cache) ?? true,
    push: optBool(file, `${at}.push`, item.push) ?? true,
    extra: {},
  };
  if (md5 !== undefined) out.hash = { name: hashName === "md5" ? "md5" : "md5-dos2unix", value: md5 };
  const size = optCount(file, `${at}.size`, item.size);
  const nfiles = optCount(file, `${at}.nfiles`, item.nfiles);
  const isexec = optBool(file, `${at}.isexec`, item.isexec);
  const persist = optBool(file, `${at}.persist`, item.persist);
  checkType(file, `${at}.remote`, item.remote, typeof item.remote === "string", "a string");
  if (size !== undefined) out.size = size;
  if (nfiles !== undefined) out.nfiles = nfiles;
  if (isexec !== undefined) out.isexec = isexec;
  if (persist !== undefined) out.persist = persist;
  if (typeof item.remote === "string") out.remote = item.remote;
  for (const key of ["desc", "type"])
    checkType(file, `${at}.${key}`, item[key], typeof item[key] === "string", "a string");
  const labels = item.labels;
  checkType(
    file,
    `${at}.labels`,
    labels,
    Array.isArray(labels) && labels.every((l) => typeof l === "string"),
    "a list of strings",
  );
  for (const key of ["cloud", "fs_config"]) checkType(file, `${at}.${key}`, item[key], isObj(item[key]), "a mapping");
  checkType(file, `${at}.files`, item.files, Array.isArray(item.files), "a list");
  for (const key of EXTRA_KEYS) if (item[key] !== undefined) out.extra[key] = item[key];
  return out;
}

/** Reads a .dvc file; throws PointerFileError (bad YAML or schema) or UnsafePathError (bad out path). */
export function parsePointerFile(text: string, file: string): PointerFile {
  let data: unknown;
  try {
    data = parseYaml(text, file, { keepFloats: true });
  } catch (err) {
    if (!(err instanceof YamlSyntaxError)) throw err;
    throw new PointerFileError(file, `${err.line ? `line ${err.line}: ` : ""}${err.reason}`);
  }
  const raw: Obj = data === null || data === undefined ? {} : (data as Obj);
  if (!isObj(raw)) throw new PointerFileError(file, "the top level must be a mapping");
  for (const key of Object.keys(raw)) {
    if (key === "cmd")
      throw new PointerFileError(file, "'cmd' is not allowed in a .dvc file (stage commands belong in dvc.yaml)");
    if (!TOP_KEYS.has(key)) throw new PointerFileError(file, `unknown key '${key}'`);
  }
  const outs = raw.outs ?? [];
  const deps = raw.deps ?? [];
  if (!Array.isArray(outs)) throw new PointerFileError(file, "'outs' must be a list");
  if (!Array.isArray(deps) || !deps.every((d) => isObj(d) && typeof d.path === "string")) {
    throw new PointerFileError(file, "'deps' must be a list of mappings with a 'path'");
  }
  const pf: PointerFile = { outs: outs.map((o, i) => parseOut(file, o, i)), deps, raw };
  const md5 = parseMd5(file, "md5", raw.md5);
  if (md5 !== undefined) pf.md5 = md5;
  const frozen = optBool(file, "frozen", raw.frozen) ?? optBool(file, "locked", raw.locked);
  if (frozen !== undefined) pf.frozen = frozen;
  if (raw.wdir !== null && raw.wdir !== undefined) {
    checkType(file, "wdir", raw.wdir, typeof raw.wdir === "string", "a string");
    pf.wdir = raw.wdir as string;
  }
  checkType(file, "desc", raw.desc, typeof raw.desc === "string", "a string");
  if (typeof raw.desc === "string") pf.desc = raw.desc;
  optBool(file, "always_changed", raw.always_changed);
  if (raw.meta !== undefined) pf.meta = raw.meta;
  return pf;
}

/** One output as DVC dumps it (docs/formats.md §2.3 key order; flags only when not the default). */
function serializeOut(o: PointerOut): Obj {
  const d: Obj = {};
  if (o.hash) d.md5 = o.hash.value;
  if (o.size !== undefined) d.size = o.size;
  if (o.nfiles !== undefined) d.nfiles = o.nfiles;
  if (o.isexec) d.isexec = true;
  if (o.extra.cloud !== undefined) d.cloud = o.extra.cloud;
  if (o.hash?.name !== "md5-dos2unix") d.hash = "md5";
  d.path = o.path;
  for (const key of ["fs_config", "desc", "type", "labels", "meta"])
    if (o.extra[key] !== undefined) d[key] = o.extra[key];
  if (!o.cache) d.cache = false;
  if (o.persist) d.persist = true;
  if (o.remote !== undefined) d.remote = o.remote;
  if (!o.push) d.push = false;
  if (o.extra.files !== undefined) d.files = o.extra.files;
  return d;
}

/** Python truthiness, as DVC's dumpd drops falsy top-level values. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

function stripForMd5(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripForMd5);
  if (!isObj(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !STAGE_MD5_IGNORED.has(k))
      .map(([k, x]) => [k, stripForMd5(x)]),
  );
}

/** The stage checksum of a .dvc file's content (docs/formats.md §2.6): md5 of its json.dumps without annotations. */
export function computeStageMd5(state: Record<string, unknown>): string {
  const { md5: _md5, meta: _meta, desc: _desc, ...rest } = state;
  if (rest.wdir === ".") delete rest.wdir;
  return createHash("md5")
    .update(pyJsonDumps(stripForMd5(rest)), "utf8")
    .digest("hex");
}

function normalizeWdir(wdir: string | undefined): string | undefined {
  if (wdir === undefined) return undefined;
  const norm = posix.normalize(wdir).replace(/(.)\/+$/, "$1");
  return norm === "." || norm === "./" ? undefined : norm;
}

/** The mapping DVC would dump for a pointer file (top-level order docs/formats.md §2.1, falsy values dropped). */
function buildState(outs: PointerOut[], o: NewPointerFileOptions): Obj {
  const make = (md5: string | undefined): Obj => {
    const entries: Array<[string, unknown]> = [
      ["desc", o.desc],
      ["md5", md5],
      ["wdir", normalizeWdir(o.wdir)],
      ["frozen", o.frozen],
      ["deps", o.deps],
      ["outs", outs.map(serializeOut)],
      ["always_changed", o.alwaysChanged],
      ["meta", o.meta],
    ];
    return Object.fromEntries(entries.filter(([, v]) => truthy(v)));
  };
  const state = make(o.md5);
  // imports carry a stage checksum; plain `dvc add` files have none (docs/formats.md §2.6)
  return o.md5 === undefined && truthy(o.deps) ? make(computeStageMd5(state)) : state;
}

/** A new .dvc file exactly as DVC writes it (docs/formats.md §2.3). */
export function serializeNewPointerFile(outs: PointerOut[], opts: NewPointerFileOptions = {}): string {
  return dumpYaml(buildState(outs, opts));
}

/**
 * Re-saves an existing .dvc file with new outputs the way DVC does (docs/formats.md §2.4): comments, key order
 * and formatting of unchanged values are kept, changed values are rewritten, new keys are
 * appended to their mapping, keys that are gone are removed. A legacy top-level `md5` and
 * `wdir: .` of a plain `dvc add` file are dropped; an import's stage checksum is recomputed.
 */
export function updatePointerFileText(oldText: string, outs: PointerOut[], file: string): string {
  const old = parsePointerFile(oldText, file);
  const isImport = old.deps.length > 0;
  const state = buildState(outs, {
    ...(old.desc !== undefined ? { desc: old.desc } : {}),
    ...(old.wdir !== undefined ? { wdir: old.wdir } : {}),
    ...(old.frozen !== undefined ? { frozen: old.frozen } : {}),
    ...(isImport ? { deps: old.deps } : {}),
    ...(old.raw.always_changed === true ? { alwaysChanged: true } : {}),
    ...(old.meta !== undefined ? { meta: old.meta } : {}),
  });
  return updateYamlText(oldText, state, file);
}
