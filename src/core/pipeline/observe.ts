// What a stage's dependencies, params and outputs look like in the workspace, compared with its dvc.lock
// entry: hashes through the stat-keyed hash cache (an unchanged file or directory costs a stat), the legacy
// dos2unix MD5 for DVC 2 lock items, params read once per file and run.
import { stageOutput as outputOfStage } from "../data/collect.js";
import { isAbsolute, resolve } from "node:path";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import type { Observed, ObservedItem, ObservedParams } from "../../pipeline/changes.js";
import { parseParamsFile, type ParamsData } from "../../pipeline/params-file.js";
import { normalizeDecl } from "../../pipeline/paths.js";
import { lockPathFor } from "../../pipeline/lockfile.js";
import type { LockEntry, LockItem, Stage, StageOut } from "../../pipeline/types.js";
import type { HashName } from "../../odb/types.js";
import type { Output } from "../../tracking/output.js";
import { outputState } from "../data/output-state.js";
import { hashWorkspacePath, type HashedPath } from "../data/workspace-hash.js";
import type { Repo } from "../repo.js";
import { hashExternalPath } from "./external.js";

export interface DepObservation extends ObservedItem {
  /** Repo-relative path (or the path as written for an external dep) and how it is recorded in dvc.lock. */
  decl: string;
  current: HashedPath | null;
  lock?: LockItem;
}

export interface OutObservation extends ObservedItem {
  out: StageOut;
  current: HashedPath | null;
  lock?: LockItem;
}

export interface StageObservation extends Observed {
  deps: DepObservation[];
  outs: OutObservation[];
  entry?: LockEntry;
}

/** Reads each params file once per run (a missing file is null; a malformed one throws). */
export class ParamsReader {
  private readonly cache = new Map<string, Promise<ParamsData | null>>();
  constructor(private readonly root: string) {}

  read(file: string): Promise<ParamsData | null> {
    let p = this.cache.get(file);
    if (!p) {
      const reader = new WorkspaceReader(this.root);
      p = reader
        .readFile(file)
        .then((buf) => (buf === null ? null : parseParamsFile(buf.toString("utf8"), file, { keepFloats: true })));
      this.cache.set(file, p);
    }
    return p;
  }

  /** Forget what was read (params files may change between runs of one process, e.g. experiments). */
  clear(): void {
    this.cache.clear();
  }
}

/** dpath.get(data, key, separator=".") as DVC uses it; undefined when the path does not exist. */
export function paramAt(data: ParamsData, key: string): unknown {
  let node: unknown = data;
  for (const part of key.split(".")) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (node !== null && typeof node === "object" && !Array.isArray(node) && Object.hasOwn(node, part))
      node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/** The current values a params dependency records: the listed keys that exist, or the whole file. */
export function paramsValues(data: ParamsData, keys: string[] | null): Record<string, unknown> {
  if (keys === null) return { ...data };
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = paramAt(data, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const findItem = (items: LockItem[] | undefined, decl: string): LockItem | undefined => {
  const want = normalizeDecl(decl);
  return items?.find((i) => i.path === decl) ?? items?.find((i) => normalizeDecl(i.path) === want);
};

export const cmdEquals = (a: string | string[], b: string | string[]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/** The output record (as status/checkout/push know it) of a stage output and its lock item. */
export function stageOutput(stage: Stage, out: StageOut, lock: LockItem | undefined): Output {
  return outputOfStage(lockPathFor(stage.file), stage.name, out, lock);
}

/** The stage's dependencies hashed now (through the stat cache), compared with the lock entry. */
export async function observeDeps(repo: Repo, stage: Stage, entry: LockEntry | undefined): Promise<DepObservation[]> {
  const ctx = repo.hashContext();
  const deps: DepObservation[] = [];
  for (const dep of stage.deps) {
    const lock = findItem(entry?.deps, dep.decl);
    const name: HashName = lock && lock.hash === undefined && lock.md5 ? "md5-dos2unix" : "md5";
    const current = dep.external
      ? await hashExternalPath(isAbsolute(dep.path) ? dep.path : resolve(repo.root, stage.wdir, dep.decl), name)
      : await hashWorkspacePath(ctx, dep.path, { name, store: false, entries: false });
    const shown = dep.external && !isAbsolute(dep.path) ? resolve(repo.root, stage.wdir, dep.decl) : dep.path;
    const status = !current ? "deleted" : !lock?.md5 || lock.md5 !== current.hash.value ? "modified" : null;
    deps.push({ path: shown, decl: dep.decl, status, current, ...(lock ? { lock } : {}) });
  }
  return deps;
}

export async function observeStage(
  repo: Repo,
  stage: Stage,
  entry: LockEntry | undefined,
  params: ParamsReader,
  opts: { deps?: boolean } = {},
): Promise<StageObservation> {
  const deps = opts.deps !== false ? await observeDeps(repo, stage, entry) : [];
  const observedParams: ObservedParams[] = [];
  for (const p of stage.params) {
    const data = await params.read(p.file);
    observedParams.push({
      path: p.file,
      keys: p.keys,
      current: data === null ? null : paramsValues(data, p.keys),
      recorded: entry?.params[p.decl],
    });
  }
  const outs: OutObservation[] = [];
  for (const out of stage.outs) {
    const lock = findItem(entry?.outs, out.decl);
    const st = await outputState(repo, stageOutput(stage, out, lock), false);
    const status = st.status === "ok" ? null : st.status === "new" ? "modified" : st.status;
    outs.push({ path: out.path, out, status, current: st.current, ...(lock ? { lock } : {}) });
  }
  return {
    locked: entry !== undefined,
    cmdChanged: entry !== undefined && !cmdEquals(entry.cmd, stage.cmd),
    deps,
    params: observedParams,
    outs,
    ...(entry ? { entry } : {}),
  };
}
