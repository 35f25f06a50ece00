// Hand-written on purpose: isomorphic-git's writeRef has no compare-and-swap and takes no lock. Refs are read
// from loose files and packed-refs, and changed with git's own lockfile protocol (`<ref>.lock` created
// exclusively, the value checked, then renamed into place), so real git and other dvx processes never see a
// half-written ref and a concurrent change is detected, not overwritten.
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { errorCode, isMissing } from "./git-util.js";
import { gitDirs, refBase, type GitDirs } from "./git-dirs.js";
import { RefChangedError, RefLockedError } from "./git-errors.js";

export interface RefValue {
  ref: string;
  /** The commit (or object) it points to; undefined for a symbolic ref. */
  oid?: string;
  /** For a symbolic ref: the ref it points to. */
  target?: string;
}

const OID = /^[0-9a-f]{40}$/;

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if (isMissing(e) || errorCode(e) === "EISDIR") return null;
    throw e;
  }
}

function parseLoose(ref: string, text: string): RefValue | null {
  const t = text.trim();
  if (t.startsWith("ref:")) return { ref, target: t.slice(4).trim() };
  return OID.test(t) ? { ref, oid: t } : null;
}

/** packed-refs as ref → oid (peeled `^` lines skipped). */
async function packedRefs(dirs: GitDirs): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const text = await readText(path.join(dirs.common, "packed-refs"));
  for (const line of (text ?? "").split("\n")) {
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** The value of one ref as stored (a symbolic ref is not followed), or null when it does not exist. */
export async function readRefRaw(dir: string, ref: string): Promise<RefValue | null> {
  const dirs = await gitDirs(dir);
  const loose = await readText(path.join(refBase(dirs, ref), ref));
  if (loose !== null) return parseLoose(ref, loose);
  const oid = (await packedRefs(dirs)).get(ref);
  return oid === undefined ? null : { ref, oid };
}

/** The oid a ref resolves to (symbolic refs followed), or null. */
export async function resolveRef(dir: string, ref: string): Promise<string | null> {
  let name = ref;
  for (let depth = 0; depth < 5; depth++) {
    const v = await readRefRaw(dir, name);
    if (v === null) return null;
    if (v.oid !== undefined) return v.oid;
    name = v.target!;
  }
  return null;
}

/** Every ref whose name starts with `prefix` (e.g. "refs/exps/"), loose ones winning over packed ones, sorted. */
export async function listRefsUnder(dir: string, prefix: string): Promise<RefValue[]> {
  const dirs = await gitDirs(dir);
  const found = new Map<string, RefValue>();
  for (const [ref, oid] of await packedRefs(dirs)) if (ref.startsWith(prefix)) found.set(ref, { ref, oid });
  const root = dirs.common;
  const walk = async (rel: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(path.join(root, rel));
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    await Promise.all(
      names.map(async (n) => {
        const child = `${rel}/${n}`;
        if (n.endsWith(".lock")) return;
        const text = await readText(path.join(root, child));
        if (text === null) return walk(child);
        const v = parseLoose(child, text);
        if (v && child.startsWith(prefix)) found.set(child, v);
      }),
    );
  };
  const top = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix.slice(0, prefix.lastIndexOf("/"));
  await walk(top);
  return [...found.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** Takes `<ref>.lock`; the lock file is created exclusively (git's protocol). */
async function lockRef(dirs: GitDirs, ref: string): Promise<{ file: string; lock: string }> {
  const file = path.join(refBase(dirs, ref), ref);
  const lock = `${file}.lock`;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await (await open(lock, "wx")).close();
  } catch (e) {
    if (errorCode(e) === "EEXIST") throw new RefLockedError(ref, lock);
    throw e;
  }
  return { file, lock };
}

const current = async (dirs: GitDirs, ref: string): Promise<string | null> => {
  const v = await readRefRaw(dirs.root, ref);
  return v === null ? null : (v.oid ?? `ref: ${v.target}`);
};

/**
 * Points `ref` at `oid`. `expected`: the value it must hold now (null: it must not exist; undefined: anything).
 * Throws RefChangedError (nothing written) when it holds something else, RefLockedError when locked.
 */
export async function updateRef(dir: string, ref: string, oid: string, expected?: string | null): Promise<void> {
  const dirs = await gitDirs(dir);
  const { file, lock } = await lockRef(dirs, ref);
  let renamed = false;
  try {
    const now = await current(dirs, ref);
    if (expected !== undefined && now !== expected) throw new RefChangedError(ref, expected, now);
    await writeSynced(lock, `${oid}\n`);
    await rename(lock, file);
    renamed = true;
  } finally {
    // once renamed, `<ref>.lock` may already be the next writer's: never remove it then
    if (!renamed) await rm(lock, { force: true });
  }
}

/** Deletes `ref` (loose and packed) if it still holds `expected` (undefined: whatever it holds). */
export async function deleteRef(dir: string, ref: string, expected?: string): Promise<void> {
  const dirs = await gitDirs(dir);
  const { file, lock } = await lockRef(dirs, ref);
  try {
    const now = await current(dirs, ref);
    if (expected !== undefined && now !== expected) throw new RefChangedError(ref, expected, now);
    if ((await packedRefs(dirs)).has(ref)) await dropPacked(dirs, ref);
    await unlink(file).catch((e: unknown) => (isMissing(e) ? undefined : Promise.reject(e)));
  } finally {
    await rm(lock, { force: true });
  }
  await pruneEmptyDirs(path.dirname(file), path.join(refBase(dirs, ref), "refs"));
}

async function dropPacked(dirs: GitDirs, ref: string): Promise<void> {
  const file = path.join(dirs.common, "packed-refs");
  const lock = `${file}.lock`;
  try {
    await (await open(lock, "wx")).close();
  } catch (e) {
    if (errorCode(e) === "EEXIST") throw new RefLockedError("packed-refs", lock);
    throw e;
  }
  let renamed = false;
  try {
    const lines = ((await readText(file)) ?? "").split("\n");
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.endsWith(` ${ref}`) && /^[0-9a-f]{40} /.test(lines[i]!)) {
        if (lines[i + 1]?.startsWith("^")) i++;
        continue;
      }
      kept.push(lines[i]!);
    }
    await writeSynced(lock, kept.join("\n"));
    await rename(lock, file);
    renamed = true;
  } finally {
    if (!renamed) await rm(lock, { force: true });
  }
}

/** Removes empty directories from `dir` up to (not including) `stop`, as git does after deleting a ref. */
async function pruneEmptyDirs(dir: string, stop: string): Promise<void> {
  for (let d = dir; d.startsWith(`${stop}/`); d = path.dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return; // not empty (or gone): stop here
    }
  }
}

/** Lock files under `<common>/<prefix>` older than `olderThanMs` (left by killed processes). */
export async function staleRefLocks(dir: string, prefix: string, olderThanMs: number): Promise<string[]> {
  const dirs = await gitDirs(dir);
  const out: string[] = [];
  const walk = async (abs: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const e of entries) {
      const p = path.join(abs, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith(".lock") && Date.now() - (await stat(p)).mtimeMs > olderThanMs) out.push(p);
    }
  };
  await walk(path.join(dirs.common, prefix));
  return out;
}

/** Writes and fsyncs a lock file before it is renamed over the ref or packed-refs file. */
async function writeSynced(path: string, text: string): Promise<void> {
  const fh = await open(path, "w");
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
