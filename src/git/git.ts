// The only importer of isomorphic-git, for what writes or needs the index: add, commit, init and ls-files. It is
// loaded lazily (about 70-100 ms) and cached. Check-ignore needs none of it (check-ignore.ts), nor does reading
// refs, commits, trees and files at a revision (git-read.ts, re-exported here for the modules that import git.js).

import * as nodeFs from "node:fs";
import { lstat, stat } from "node:fs/promises";
import path from "node:path";
import { BadTargetError } from "../errors.js";
import { isMissing, repoRelative } from "./git-util.js";
import { directoryQuery, fileQuery, ignoredBy } from "./check-ignore.js";
import type { GitAuthor, IndexSnapshot, RepoContext } from "./git-types.js";
import { gitDirs } from "./git-dirs.js";
import { clearGitCache, context, translate } from "./repo-context.js";

export { findGitRoot } from "./find-git-root.js";
export type { CommitInfo, GitAuthor, GitObjectInfo, RefList, TreeEntry } from "./git-types.js";
export { clearGitCache };
export {
  currentBranch,
  expandShortOid,
  hasObject,
  headOid,
  listAllCommits,
  listFilesAtRev,
  listFilesUnderAtRev,
  listRefNames,
  listRefs,
  peelToCommit,
  readBlobOid,
  readCommit,
  readFileAtRev,
  readObjectInfo,
  readTreeRecursive,
  resolveRefExact,
} from "./git-read.js";

/** The module's shape, for types only: the module itself is imported on first use. */
type Git = typeof import("isomorphic-git");

const DEFAULT_AUTHOR: GitAuthor = { name: "dvx", email: "dvx@localhost" };

let loading: Promise<Git> | undefined;
const loadGit = (): Promise<Git> => (loading ??= import("isomorphic-git"));

/** Loads isomorphic-git and the repository context, and translates whatever `fn` throws. */
async function withGit<T>(operation: string, dir: string, fn: (git: Git, ctx: RepoContext) => Promise<T>): Promise<T> {
  try {
    const [git, ctx] = await Promise.all([loadGit(), context(dir)]);
    return await fn(git, ctx);
  } catch (e) {
    throw translate(e, operation, path.resolve(dir));
  }
}

// ---------------------------------------------------------------- index, ignores, writes

async function indexSnapshot(git: Git, ctx: RepoContext): Promise<IndexSnapshot> {
  const file = path.join(ctx.gitdir, "index");
  const st = await stat(file).catch((e: unknown) => {
    if (isMissing(e)) return null;
    throw e;
  });
  const signature = st === null ? "none" : `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  if (ctx.index?.signature === signature) return ctx.index;
  const files =
    st === null ? [] : await git.listFiles({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, cache: ctx.cache });
  const dirs = new Set<string>();
  for (const f of files) {
    for (let i = f.indexOf("/"); i !== -1; i = f.indexOf("/", i + 1)) dirs.add(f.slice(0, i));
  }
  ctx.index = { signature, files: new Set(files), dirs };
  return ctx.index;
}

/** True when the index holds `p` (a file) or any file below it (a directory). */
export function isTracked(dir: string, p: string): Promise<boolean> {
  return withGit("ls-files", dir, async (git, ctx) => {
    const rel = repoRelative(ctx.dir, p);
    const index = await indexSnapshot(git, ctx);
    return rel === "" ? index.files.size > 0 : index.files.has(rel) || index.dirs.has(rel);
  });
}

/**
 * True when `p` is excluded by .gitignore files (nested ones included) or .git/info/exclude,
 * like `git check-ignore --no-index`: a path below an ignored directory is ignored too.
 * Whether the path is tracked does not matter. Directories are recognised on disk.
 */
export async function isIgnored(dir: string, p: string): Promise<boolean> {
  // Only the work tree's .gitignore files and info/exclude are read, so no repository context is opened: this
  // works in linked worktrees too (whose info/exclude is the common dir's, as git reads it).
  try {
    const dirs = await gitDirs(dir);
    const root = dirs.root;
    const rel = repoRelative(root, p);
    if (rel === "") return false;
    const parts = rel.split("/");
    if (parts.includes(".git")) return true;
    let leafIsDir = false;
    try {
      leafIsDir = nodeFs.statSync(path.join(root, rel)).isDirectory();
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    for (let i = 1; i <= parts.length; i++) {
      const isDir = i < parts.length || leafIsDir;
      const filepath = parts.slice(0, i).join("/") + (isDir ? "/" : "");
      if (ignoredBy(isDir ? directoryQuery : fileQuery(root, rel), root, dirs.common, filepath)) return true;
    }
    return false;
  } catch (e) {
    throw translate(e, "check-ignore", path.resolve(dir));
  }
}

/** Stages `paths` (repo-relative or absolute): existing files/dirs are added, vanished ones removed from the index. */
export function gitAdd(dir: string, paths: string[]): Promise<void> {
  return withGit("add", dir, async (git, ctx) => {
    const present: string[] = [];
    const gone: string[] = [];
    for (const p of paths) {
      const rel = repoRelative(ctx.dir, p);
      if (rel === "") throw new BadTargetError(p, "it is the repository root");
      const exists = await lstat(path.join(ctx.dir, rel)).then(
        () => true,
        (e: unknown) => {
          if (isMissing(e)) return false;
          throw e;
        },
      );
      (exists ? present : gone).push(rel);
    }
    ctx.index = undefined;
    if (present.length > 0)
      await git.add({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, filepath: present, cache: ctx.cache });
    for (const filepath of gone)
      await git.remove({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, filepath, cache: ctx.cache });
  });
}

/** Commits the index on the current branch; returns the new commit oid. Author: given, else git config, else "dvx". */
export function commit(dir: string, message: string, author?: GitAuthor): Promise<string> {
  return withGit("commit", dir, async (git, ctx) => {
    let who = author;
    if (who === undefined) {
      const [name, email] = await Promise.all([
        git.getConfig({ fs: nodeFs, gitdir: ctx.gitdir, path: "user.name" }) as Promise<unknown>,
        git.getConfig({ fs: nodeFs, gitdir: ctx.gitdir, path: "user.email" }) as Promise<unknown>,
      ]);
      who = typeof name === "string" && typeof email === "string" ? { name, email } : DEFAULT_AUTHOR;
    }
    return git.commit({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, message, author: who, cache: ctx.cache });
  });
}

/** `git init` with `defaultBranch` (default "main"). */
export async function initRepo(dir: string, opts: { defaultBranch?: string } = {}): Promise<void> {
  const git = await loadGit();
  const root = path.resolve(dir);
  try {
    await git.init({ fs: nodeFs, dir: root, defaultBranch: opts.defaultBranch ?? "main" });
  } catch (e) {
    throw translate(e, "init", root);
  }
  clearGitCache(root);
}
