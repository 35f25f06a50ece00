// The workspace state a queued experiment starts from, kept in git without touching the user's workspace, index
// or HEAD: a commit whose tree is what git tracks now (the index's paths with their current content, like
// `exp run` commits them) with the -S edits applied, and whose parents are the baseline and, when there are
// untracked files git does not ignore (a new script not yet added), a root commit holding those. The commit is
// kept alive by refs/dvx/queue/<id>, a namespace DVC never reads.
import { gitDirs } from "../../git/git-dirs.js";
import { readIndex } from "../../git/index-file.js";
import { commitContent, writeObject } from "../../git/objects.js";
import { updateRef } from "../../git/refs-store.js";
import { runGit } from "../../git/system-git.js";
import { leafOf, workspaceLeaves, writeTrees, type Leaf } from "../exp/snapshot.js";
import type { ParamsFileEdit } from "../exp/set-params.js";
import { lstat } from "node:fs/promises";
import path from "node:path";

/** Untracked files larger than this are left out (git is no place for data: track it with `dvx add`). */
export const UNTRACKED_LIMIT = 10 * 1024 * 1024;

export interface WorkspaceCapture {
  gitRoot: string;
  common: string;
  /** What git tracks (the index's paths with their current content) and the untracked files, as blobs. */
  tracked: Map<string, Leaf>;
  untracked: Map<string, Leaf>;
  /** Untracked files left out because of their size (git-root relative). */
  skipped: string[];
}

/** Untracked files git does not ignore (git-root relative), from the system git. */
async function untrackedPaths(gitRoot: string, env: Record<string, string | undefined>): Promise<string[]> {
  const r = await runGit(gitRoot, ["ls-files", "--others", "--exclude-standard", "-z"], env);
  if (r.code !== 0) return [];
  return r.stdout.split("\0").filter((p) => p !== "" && !p.endsWith("/"));
}

/** Reads the workspace once (blobs are written to the object store; no tree or commit yet). */
export async function captureWorkspace(
  gitRoot: string,
  env: Record<string, string | undefined>,
): Promise<WorkspaceCapture> {
  const { common, gitdir } = await gitDirs(gitRoot);
  const tracked = await workspaceLeaves(gitRoot, []);
  const untracked = new Map<string, Leaf>();
  const skipped: string[] = [];
  const index = await readIndex(gitdir);
  for (const p of await untrackedPaths(gitRoot, env)) {
    const abs = path.join(gitRoot, ...p.split("/"));
    const st = await lstat(abs).catch(() => null);
    if (st === null) continue;
    if (st.size > UNTRACKED_LIMIT) skipped.push(p);
    else {
      const leaf = await leafOf(common, abs, undefined, index.mtimeMs);
      if (leaf) untracked.set(p, leaf);
    }
  }
  return { gitRoot, common, tracked, untracked, skipped };
}

/**
 * The stash commit of `capture` with the params edits applied (paths repo-relative, under `prefix` in git):
 * tree = tracked files, parents = [baseline, untracked files' root commit (when there are any)].
 */
export async function stashCommit(
  capture: WorkspaceCapture,
  prefix: string,
  edits: readonly ParamsFileEdit[],
  baseline: string,
  message: string,
): Promise<string> {
  const { common } = capture;
  const tracked = new Map(capture.tracked);
  const untracked = new Map(capture.untracked);
  for (const e of edits) {
    const p = prefix + e.file;
    const oid = await writeObject(common, "blob", Buffer.from(e.text, "utf8"));
    const into = tracked.has(p) ? tracked : untracked;
    into.set(p, { mode: into.get(p)?.mode ?? "100644", oid });
  }
  const ident = `dvx <dvx@localhost> ${Math.floor(Date.now() / 1000)} +0000`;
  const commit = async (tree: string, parents: string[], text: string): Promise<string> =>
    writeObject(common, "commit", commitContent({ tree, parents, author: ident, committer: ident, message: text }));
  const parents = [baseline];
  if (untracked.size > 0)
    parents.push(await commit(await writeTrees(common, untracked), [], "untracked files of a queued experiment\n"));
  return commit(await writeTrees(common, tracked), parents, message);
}

/** Keeps a stash alive under its queue ref (which must not exist yet). */
export const storeStash = (gitRoot: string, ref: string, commit: string): Promise<void> =>
  updateRef(gitRoot, ref, commit, null);
