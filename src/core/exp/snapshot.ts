// The workspace as a git tree, the way `git add -u <paths> && git write-tree` would build it from a copy of the
// index: every path in the index with its current content (deleted files dropped), plus the given extra files.
// The user's index is only read; blobs whose stat still matches their index entry are not hashed again.
import { lstat, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { gitDirs } from "../../git/git-dirs.js";
import { errorCode } from "../../git/git-util.js";
import { readIndex, type IndexEntry } from "../../git/index-file.js";
import { hashObject, writeObject, treeContent, type TreeItem } from "../../git/objects.js";
import { UnmergedIndexError } from "../../exp/errors.js";
import { limiter } from "../../util/pool.js";

export interface Leaf {
  mode: string;
  oid: string;
}

/** Paths (git-root relative, POSIX) tracked in the index, for callers that choose the extra files. */
export async function indexPaths(gitRoot: string): Promise<Set<string>> {
  const { gitdir } = await gitDirs(gitRoot);
  return new Set((await readIndex(gitdir)).entries.map((e) => e.path));
}

/**
 * The leaf for one path as it is in the work tree now, or null when it is gone (or is not a file). New content is
 * written to the object store unless `store` is false (then only hashed).
 */
export async function leafOf(
  common: string,
  abs: string,
  entry: IndexEntry | undefined,
  racyAfterMs: number,
  store = true,
): Promise<Leaf | null> {
  const blob = (content: Buffer): Promise<string> =>
    store ? writeObject(common, "blob", content) : Promise.resolve(hashObject("blob", content));
  if (entry && (entry.mode === "160000" || entry.mode === "40000")) return { mode: entry.mode, oid: entry.oid };
  let st;
  try {
    st = await lstat(abs, { bigint: true });
  } catch (e) {
    const code = errorCode(e);
    if (code === "ENOENT" || code === "ENOTDIR")
      return entry?.skipWorktree ? { mode: entry.mode, oid: entry.oid } : null;
    throw e;
  }
  if (st.isSymbolicLink()) {
    return { mode: "120000", oid: await blob(Buffer.from(await readlink(abs), "utf8")) };
  }
  if (!st.isFile()) return null;
  const mode = (st.mode & 0o111n) !== 0n ? "100755" : "100644";
  if (entry && entry.mode === mode && !entry.intentToAdd) {
    const sec = (ns: bigint): number => Number(ns / 1_000_000_000n) >>> 0;
    const nsec = (ns: bigint): number => Number(ns % 1_000_000_000n);
    const same =
      Number(st.size) >>> 0 === entry.size &&
      sec(st.mtimeNs) === entry.mtimeSec &&
      nsec(st.mtimeNs) === entry.mtimeNsec &&
      sec(st.ctimeNs) === entry.ctimeSec &&
      nsec(st.ctimeNs) === entry.ctimeNsec &&
      Number(st.ino) >>> 0 === entry.ino;
    const racy = entry.mtimeSec * 1000 + entry.mtimeNsec / 1e6 >= racyAfterMs;
    if (same && !racy) return { mode, oid: entry.oid };
  }
  return { mode, oid: await blob(await readFile(abs)) };
}

/** Writes the trees for `leaves` (path → leaf) bottom-up; returns the root tree id. */
export async function writeTrees(common: string, leaves: Map<string, Leaf>): Promise<string> {
  interface Dir {
    files: TreeItem[];
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: [], dirs: new Map() };
  for (const [p, leaf] of leaves) {
    const parts = p.split("/");
    let d = root;
    for (const part of parts.slice(0, -1)) {
      let next = d.dirs.get(part);
      if (!next) d.dirs.set(part, (next = { files: [], dirs: new Map() }));
      d = next;
    }
    d.files.push({ name: parts.at(-1)!, mode: leaf.mode, oid: leaf.oid });
  }
  const write = async (d: Dir): Promise<string> => {
    const items = [...d.files];
    for (const [name, sub] of d.dirs) items.push({ name, mode: "40000", oid: await write(sub) });
    return writeObject(common, "tree", treeContent(items));
  };
  return write(root);
}

/**
 * The tree of the work tree at `gitRoot`: the index's paths with their current content, plus `extra` files
 * (git-root relative; missing ones skipped). Objects are written into the repository; the index is not touched.
 */
export async function snapshotWorkspace(gitRoot: string, extra: Iterable<string>): Promise<string> {
  const { common } = await gitDirs(gitRoot);
  return writeTrees(common, await workspaceLeaves(gitRoot, extra));
}

/** The leaves (path → mode and blob) snapshotWorkspace makes its tree of; blobs are written, trees are not. */
export async function workspaceLeaves(gitRoot: string, extra: Iterable<string>): Promise<Map<string, Leaf>> {
  const dirs = await gitDirs(gitRoot);
  const index = await readIndex(dirs.gitdir);
  const unmerged = index.entries.filter((e) => e.stage !== 0).map((e) => e.path);
  if (unmerged.length > 0) throw new UnmergedIndexError([...new Set(unmerged)]);
  const entries = new Map(index.entries.map((e) => [e.path, e] as const));
  const paths = new Set([...entries.keys(), ...extra]);
  const leaves = new Map<string, Leaf>();
  const limit = limiter(16);
  await Promise.all(
    [...paths].map((p) =>
      limit(async () => {
        const leaf = await leafOf(dirs.common, path.join(gitRoot, ...p.split("/")), entries.get(p), index.mtimeMs);
        if (leaf) leaves.set(p, leaf);
      }),
    ),
  );
  // a path that became a directory while a file below it is listed: keep the files (git cannot have both)
  for (const p of [...leaves.keys()]) {
    for (let i = p.indexOf("/"); i !== -1; i = p.indexOf("/", i + 1)) leaves.delete(p.slice(0, i));
  }
  return leaves;
}
