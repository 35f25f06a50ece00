// Hashes workspace paths (files and directory outputs) through the stat cache, optionally storing
// every object in the cache in the same read. Directory files are processed concurrently.
import { lstatSync, type Stats } from "node:fs";
import { join } from "node:path";
import { BadTargetError, PathNotFoundError } from "../../errors.js";
import { errCode } from "../../fsx/atomic.js";
import type { DvcIgnore } from "../../fsx/dvcignore.js";
import { fileStat, followLink, walkFilesParallel, type FileStat, type WalkedFile } from "../../fsx/walk.js";
import { dirFingerprint } from "../../odb/dir-state.js";
import { hashInWorkers, workersAvailable } from "../../odb/hash-pool.js";
import { SMALL_FILE } from "../../odb/local-odb.js";
import type { LocalOdb } from "../../odb/local-odb.js";
import type { HashState } from "../../odb/state.js";
import { buildTree } from "../../odb/tree.js";
import type { HashInfo, HashName, TreeEntry } from "../../odb/types.js";
import { runPool } from "../../util/pool.js";
import type { Reporter } from "../reporter.js";

export interface HashContext {
  root: string;
  odb: LocalOdb;
  state: HashState;
  ignore: DvcIgnore;
  reporter: Reporter;
  jobs: number;
  /** Workspace hashes already taken in this operation (Repo.hashMemo): read-only hashing is not repeated. */
  memo?: Map<string, Promise<HashedPath | null>>;
}

export interface HashedPath {
  hash: HashInfo;
  size: number;
  isDir: boolean;
  nfiles?: number;
  isexec?: boolean;
  /** Directory entries with sizes (sorted), for directory outputs. */
  entries?: TreeEntry[];
  /** Manifest bytes of a directory (already stored when `store` was set). */
  treeBytes?: Buffer;
}

export interface HashOptions {
  name: HashName;
  /** Store every object in the cache while hashing (add/commit); false for status. */
  store: boolean;
  /** Directory entries are needed (checkout, diff); status only needs the hash. Default true. */
  entries?: boolean;
}

/** Stat of a workspace path following a file symlink (refusing links out of the repo); null when absent. */
export function statPath(root: string, rel: string): Stats | null {
  const abs = join(root, rel);
  let st: Stats | undefined;
  try {
    st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st) return null;
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return null;
    throw err;
  }
  return st.isSymbolicLink() ? followLink(root, abs, rel) : st;
}

async function hashOneFile(
  ctx: HashContext,
  rel: string,
  abs: string,
  st: FileStat,
  opts: HashOptions,
): Promise<string> {
  const known = ctx.state.get(rel, st, opts.name);
  if (known !== undefined) {
    if (opts.store) await ctx.odb.putFile({ name: opts.name, value: known }, abs);
    return known;
  }
  const value = await ctx.odb.hashAndStore(abs, rel, opts.name, st.size, opts.store);
  ctx.state.set(rel, st, opts.name, value);
  return value;
}

/** Hashes a workspace file or directory (repo-relative `rel`). Null when it does not exist. */
export async function hashWorkspacePath(ctx: HashContext, rel: string, opts: HashOptions): Promise<HashedPath | null> {
  if (!ctx.memo || opts.store) return hashPath(ctx, rel, opts);
  const key = `${opts.name}\0${opts.entries === false ? 0 : 1}\0${rel}`;
  let p = ctx.memo.get(key);
  if (!p) ctx.memo.set(key, (p = hashPath(ctx, rel, opts)));
  return p;
}

async function hashPath(ctx: HashContext, rel: string, opts: HashOptions): Promise<HashedPath | null> {
  const abs = join(ctx.root, rel);
  const st = statPath(ctx.root, rel);
  if (!st) return null;
  if (st.isFile()) {
    const value = await hashOneFile(ctx, rel, abs, fileStat(st), opts);
    return {
      hash: { name: opts.name, value },
      size: st.size,
      isDir: false,
      ...((st.mode & 0o111) !== 0 ? { isexec: true } : {}),
    };
  }
  if (!st.isDirectory()) throw new BadTargetError(rel, "it is neither a regular file nor a directory");
  const prev = ctx.state.dirs.lookup(rel, opts.name);
  // the last walk's file count says whether a second thread pays off
  const files = await walkFilesParallel(
    { repoRoot: ctx.root, dirRel: rel, ignore: ctx.ignore },
    prev.record?.nfiles ?? 0,
  );
  const fp = dirFingerprint(files);
  const fast = fp === undefined ? undefined : await fromDirRecord(ctx, rel, files, fp, opts);
  if (fast) return fast;
  const entries: TreeEntry[] = new Array(files.length);
  const progress = ctx.reporter.progress(`hashing ${rel}`, files.length, "files");
  // objects of files whose hash did not change are in the cache if the last version was complete there
  const prevComplete =
    opts.store &&
    prev.record !== undefined &&
    prev.record.complete &&
    ctx.odb.has({ name: opts.name, value: prev.record.oid });
  const inline: number[] = [];
  const batch: number[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const known = prev.md5Of(f.rel, f.stat);
    if (known !== undefined && (!opts.store || prevComplete || ctx.odb.has({ name: opts.name, value: known }))) {
      entries[i] = { relpath: f.rel, md5: known, size: f.stat.size };
      progress.advance(1, f.stat.size);
    } else if (known === undefined && f.stat.size <= SMALL_FILE) batch.push(i);
    else inline.push(i);
  }
  if (batch.length >= WORKER_BATCH && workersAvailable()) {
    const values = await hashInWorkers(
      batch.map((i) => ({ abs: files[i]!.abs, rel: `${rel}/${files[i]!.rel}`, size: files[i]!.stat.size })),
      {
        cacheRoot: ctx.odb.root,
        name: opts.name,
        store: opts.store,
        has: (oid) => ctx.odb.has({ name: opts.name, value: oid }),
        onProgress: (n, b) => progress.advance(n, b),
      },
    );
    batch.forEach((i, k) => {
      entries[i] = { relpath: files[i]!.rel, md5: values[k]!, size: files[i]!.stat.size };
      if (opts.store) ctx.odb.noteStored({ name: opts.name, value: values[k]! });
    });
  } else inline.push(...batch);
  await runPool(inline.length, ctx.jobs, async (k) => {
    const f = files[inline[k]!]!;
    const md5 = await ctx.odb.hashAndStore(f.abs, `${rel}/${f.rel}`, opts.name, f.stat.size, opts.store);
    entries[inline[k]!] = { relpath: f.rel, md5, size: f.stat.size };
    progress.advance(1, f.stat.size);
  });
  progress.done();
  const tree = buildTree(entries);
  if (opts.store) await ctx.odb.putBytes({ name: opts.name, value: tree.oid }, tree.bytes);
  const complete = opts.store || (prev.record?.oid === tree.oid && prev.record.complete);
  ctx.state.dirs.set(
    rel,
    opts.name,
    { fp, oid: tree.oid, size: tree.size, nfiles: tree.nfiles, complete },
    files,
    entries.map((e) => e.md5),
  );
  // a legacy directory keeps its legacy name (its entries are dos2unix md5s), the manifest itself is plain md5
  return {
    hash: { name: opts.name, value: tree.oid },
    size: tree.size,
    isDir: true,
    nfiles: tree.nfiles,
    entries,
    treeBytes: tree.bytes,
  };
}

/** From this many files to hash, the work is split between worker threads (all cores). */
const WORKER_BATCH = 4000;

/**
 * The unchanged-directory fast path: the fingerprint matches the last hash of this directory. Entries
 * come from the cached manifest when asked for (or when storing, to check every object is there);
 * any doubt returns undefined and the caller hashes file by file.
 */
async function fromDirRecord(
  ctx: HashContext,
  rel: string,
  files: WalkedFile[],
  fp: string,
  opts: HashOptions,
): Promise<HashedPath | undefined> {
  const rec = ctx.state.dirs.get(rel, opts.name, fp);
  if (!rec) return undefined;
  const hash: HashInfo = { name: opts.name, value: rec.oid };
  const base = { hash, size: rec.size, isDir: true as const, nfiles: rec.nfiles };
  if (!opts.store && opts.entries === false) return base;
  if (!ctx.odb.has(hash)) return undefined;
  const manifest = await ctx.odb.readTree(hash);
  if (manifest.length !== files.length) return undefined;
  const entries: TreeEntry[] = new Array(files.length);
  for (let i = 0; i < files.length; i++) {
    const m = manifest[i]!;
    if (m.relpath !== files[i]!.rel) return undefined;
    if (opts.store && !ctx.odb.has({ name: opts.name, value: m.md5 })) return undefined;
    entries[i] = { relpath: m.relpath, md5: m.md5, size: files[i]!.stat.size };
  }
  return { ...base, entries };
}

/** Like hashWorkspacePath but a missing path is an error naming it. */
export async function requirePath(ctx: HashContext, rel: string, opts: HashOptions): Promise<HashedPath> {
  const h = await hashWorkspacePath(ctx, rel, opts);
  if (!h) throw new PathNotFoundError(rel);
  return h;
}
