// Per-repository state for one process (git dir, caches, the object store) and the error translation that every
// git adapter function shares. Objects are immutable, so parsed commits and trees are cached for good.
import { stat } from "node:fs/promises";
import path from "node:path";
import { AppError, NotARepoError } from "../errors.js";
import { gitDirOf } from "./find-git-root.js";
import { GitError, UnsupportedRepositoryError } from "./git-errors.js";
import type { RepoContext } from "./git-types.js";
import { errorCode, isMissing } from "./git-util.js";
import { ObjectStore } from "./object-store.js";

const contexts = new Map<string, Promise<RepoContext>>();

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    (e: unknown) => {
      if (isMissing(e)) return false;
      throw e;
    },
  );

/** Translates a failure at this adapter's boundary; programming errors pass through untouched. */
export function translate(e: unknown, operation: string, dir: string): unknown {
  if (e instanceof AppError || errorCode(e) === undefined) return e;
  return new GitError(operation, dir, e);
}

async function open(root: string): Promise<RepoContext> {
  const gitdir = await gitDirOf(root);
  if (gitdir === null) throw new NotARepoError(root);
  // A linked worktree keeps refs and objects in a "commondir" that isomorphic-git does not follow.
  if (await exists(path.join(gitdir, "commondir")))
    throw new UnsupportedRepositoryError(root, "linked worktrees are not supported");
  return { dir: root, gitdir, cache: {}, objects: new Map(), trees: new Map(), store: new ObjectStore(gitdir) };
}

/** The context of work tree root `dir`, opened once (concurrent first calls share one opening). */
export function context(dir: string): Promise<RepoContext> {
  // keys are resolved roots: a caller passing one (the usual case) skips path.resolve, which shows in profiles
  // of commands that read thousands of objects
  const known = contexts.get(dir);
  if (known !== undefined) return known;
  const root = path.resolve(dir);
  let pending = contexts.get(root);
  if (pending === undefined) {
    contexts.set(root, (pending = open(root)));
    pending.catch(() => contexts.delete(root)); // not a repository (yet): look again next time
  }
  return pending;
}

/** Runs a read on the repository context (no isomorphic-git) and translates whatever `fn` throws. */
export async function withContext<T>(
  operation: string,
  dir: string,
  fn: (ctx: RepoContext) => T | Promise<T>,
): Promise<T> {
  try {
    return await fn(await context(dir));
  } catch (e) {
    throw translate(e, operation, path.resolve(dir));
  }
}

/** Forgets cached objects, trees and index data (all repositories, or one). */
export function clearGitCache(dir?: string): void {
  for (const [root, pending] of contexts) {
    if (dir !== undefined && root !== path.resolve(dir)) continue;
    contexts.delete(root);
    pending.then(
      (ctx) => ctx.store.close(),
      () => undefined, // it never opened: nothing to close
    );
  }
}
