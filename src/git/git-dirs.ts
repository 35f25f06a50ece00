// Where a work tree keeps its git data: the git dir (HEAD, index) and, for a linked worktree, the common dir that
// holds objects and shared refs. Hand-written git plumbing (index-file, objects, refs-store) reads these paths.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { NotARepoError } from "../errors.js";
import { gitDirOf } from "./find-git-root.js";
import { isMissing } from "./git-util.js";

export interface GitDirs {
  /** The work tree root. */
  root: string;
  /** HEAD, index, per-worktree refs. */
  gitdir: string;
  /** objects/, refs/, packed-refs, config (the git dir itself outside linked worktrees). */
  common: string;
}

const cache = new Map<string, Promise<GitDirs>>();

async function load(root: string): Promise<GitDirs> {
  const gitdir = await gitDirOf(root);
  if (gitdir === null) throw new NotARepoError(root);
  let common = gitdir;
  try {
    common = path.resolve(gitdir, (await readFile(path.join(gitdir, "commondir"), "utf8")).trim());
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  return { root, gitdir, common };
}

/** The git directories of work tree root `dir` (cached per process). */
export function gitDirs(dir: string): Promise<GitDirs> {
  const root = path.resolve(dir);
  let p = cache.get(root);
  if (!p) {
    p = load(root);
    cache.set(root, p);
    p.catch(() => cache.delete(root));
  }
  return p;
}

/** Per-worktree refs live in the git dir; every other ref in the common dir (git's rules). */
export function refBase(dirs: GitDirs, ref: string): string {
  const perWorktree = ref === "HEAD" || /^refs\/(bisect|worktree|rewritten)\//.test(ref) || !ref.startsWith("refs/");
  return perWorktree ? dirs.gitdir : dirs.common;
}
