// A stage's dvc.lock entry as DVC writes it (docs/formats.md §9.1): `cmd`, then `deps` and `outs` sorted by
// path, `params` with the default params file first and the other files by path, each file's keys sorted
// (nested values as read). Items: path, hash (DVC 3 only), md5, size, nfiles, isexec (only when true).
// Also the run-cache key and value of an entry (§9.6) and what makes a stage eligible for the run cache.
import { createHash } from "node:crypto";
import { compareCodePoints, pyJsonDumps } from "../util/py-json.js";
import { PyFloat } from "../util/py-float.js";
import { DEFAULT_PARAMS_FILE } from "./stage-build.js";
import type { Stage } from "./types.js";

/** One recorded dependency or output. `legacy` items (DVC 2, dos2unix MD5) are written without `hash`. */
export interface LockItemData {
  path: string;
  md5: string;
  size: number;
  nfiles?: number;
  isexec?: boolean;
  legacy?: boolean;
}

export interface ParamsValues {
  /** The params file as written in dvc.yaml (relative to the stage wdir). */
  decl: string;
  /** Param name (dot path as written, or top-level key for a whole file) → value. */
  values: Record<string, unknown>;
}

export type LockEntryData = Record<string, unknown>;

const byPath = (a: { path: string }, b: { path: string }): number => compareCodePoints(a.path, b.path);

function item(i: LockItemData): Record<string, unknown> {
  return {
    path: i.path,
    ...(i.legacy ? {} : { hash: "md5" }),
    md5: i.md5,
    size: i.size,
    ...(i.nfiles !== undefined ? { nfiles: i.nfiles } : {}),
    ...(i.isexec ? { isexec: true } : {}),
  };
}

function sortedKeys(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(values).sort(compareCodePoints)) out[k] = values[k];
  return out;
}

/** The lock entry of a stage run with these dependency/output records and params values. */
export function lockEntry(
  cmd: string | string[],
  deps: LockItemData[],
  params: ParamsValues[],
  outs: LockItemData[],
): LockEntryData {
  const entry: LockEntryData = { cmd };
  if (deps.length > 0) entry.deps = [...deps].sort(byPath).map(item);
  const files = [...params].sort(
    (a, b) =>
      Number(a.decl !== DEFAULT_PARAMS_FILE) - Number(b.decl !== DEFAULT_PARAMS_FILE) ||
      compareCodePoints(a.decl, b.decl),
  );
  if (files.length > 0) entry.params = Object.fromEntries(files.map((f) => [f.decl, sortedKeys(f.values)]));
  if (outs.length > 0) entry.outs = [...outs].sort(byPath).map(item);
  return entry;
}

/** Removes `size` and `nfiles` at every depth, as DVC does before hashing a run-cache entry. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat)) {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== "size" && k !== "nfiles")
        .map(([k, x]) => [k, strip(x)]),
    );
  }
  return v;
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** The run-cache directory key of an entry: its hash with `outs` reduced to their paths. */
export function runCacheKey(entry: LockEntryData): string {
  const outs = (entry.outs as Array<{ path: string }> | undefined) ?? [];
  return sha256(pyJsonDumps(strip({ ...entry, outs: outs.map((o) => o.path) })));
}

/** The run-cache file name of an entry. */
export function runCacheValue(entry: LockEntryData): string {
  return sha256(pyJsonDumps(strip(entry)));
}

/**
 * Whether DVC would keep a run-cache entry for this stage: it has a command, deps and outs, is not always
 * changed, has no external deps and no persisted outputs, and every output without cache is a metric or plot.
 */
export function runCacheEligible(stage: Stage): boolean {
  if (stage.alwaysChanged) return false;
  if (stage.cmd.length === 0 || stage.outs.length === 0) return false;
  if (stage.deps.length + stage.params.length === 0) return false;
  if (stage.deps.some((d) => d.external)) return false;
  return stage.outs.every((o) => !o.persist && (o.cache || o.kind !== "outs"));
}
