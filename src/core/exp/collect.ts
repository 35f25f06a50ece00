// The last step of an experiment: the work tree becomes a commit whose parent is the baseline, under
// refs/exps/<baseline[0:2]>/<baseline[2:]>/<name> (docs/formats.md §11.1). HEAD, the branch and the index are
// left as they are; the ref is created only if it does not exist (or, with force, replaced), atomically.
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { findGitRoot } from "../../git/find-git-root.js";
import { gitDirs } from "../../git/git-dirs.js";
import { RefChangedError } from "../../git/git-errors.js";
import { gitIdents } from "../../git/identity.js";
import { commitContent, writeObject } from "../../git/objects.js";
import { updateRef } from "../../git/refs-store.js";
import { ExperimentExistsError } from "../../exp/errors.js";
import { expCommitMessage } from "../../exp/exp-hash.js";
import { expRefName } from "../../exp/refs.js";
import { NotARepoError } from "../../errors.js";
import type { Repo } from "../repo.js";
import { indexPaths, snapshotWorkspace } from "./snapshot.js";

export interface GitPlace {
  /** The git work tree root. */
  gitRoot: string;
  /** The DVC project's path inside it ("" when it is the root), POSIX with a trailing slash when not empty. */
  prefix: string;
}

export async function gitPlace(repo: Repo): Promise<GitPlace> {
  const gitRoot = await findGitRoot(repo.root);
  if (gitRoot === null) throw new NotARepoError(repo.root);
  const rel = path.relative(gitRoot, repo.root).split(path.sep).join("/");
  return { gitRoot, prefix: rel === "" ? "" : `${rel}/` };
}

export interface CommitRequest {
  baseline: string;
  name: string;
  expHash: string;
  /** Replace an experiment of the same name. */
  force?: boolean;
  message?: string;
  /** Repo-relative files and directories to take besides the tracked ones (untracked ones only when not ignored). */
  extra: Iterable<string>;
  /** Repo-relative files and directories taken even when git ignores them (exp save -I). */
  forced?: Iterable<string>;
}

export interface CommittedExperiment {
  ref: string;
  commit: string;
  tree: string;
}

/** Untracked candidates that git does not ignore, directories expanded (git-root relative). */
async function untrackedFiles(
  place: GitPlace,
  candidates: string[],
  tracked: Set<string>,
  force = false,
): Promise<string[]> {
  const out: string[] = [];
  let ignored: ((p: string) => Promise<boolean>) | undefined;
  const isIgnored = async (p: string): Promise<boolean> => {
    if (force) return false;
    if (!ignored) {
      const git = await import("../../git/git.js");
      ignored = (q) => git.isIgnored(place.gitRoot, q);
    }
    return ignored(p);
  };
  const trackedDirs = new Set<string>();
  for (const t of tracked)
    for (let i = t.indexOf("/"); i !== -1; i = t.indexOf("/", i + 1)) trackedDirs.add(t.slice(0, i));
  const visit = async (p: string): Promise<void> => {
    if (tracked.has(p)) return;
    const abs = path.join(place.gitRoot, ...p.split("/"));
    const st = await lstat(abs).catch(() => null);
    if (st === null) return;
    if (st.isDirectory()) {
      // a directory with tracked files is walked (only its untracked files are checked); others must not be ignored
      if (!trackedDirs.has(p) && (await isIgnored(p))) return;
      for (const name of await readdir(abs)) if (name !== ".git" && name !== ".dvc") await visit(`${p}/${name}`);
    } else if ((st.isFile() || st.isSymbolicLink()) && !(await isIgnored(p))) out.push(p);
  };
  for (const c of candidates) await visit(c);
  return out;
}

export async function commitExperiment(repo: Repo, req: CommitRequest): Promise<CommittedExperiment> {
  const place = await gitPlace(repo);
  const tracked = await indexPaths(place.gitRoot);
  const candidates = [...new Set([...req.extra].map((p) => place.prefix + p))];
  const extra = await untrackedFiles(place, candidates, tracked);
  const forced = [...(req.forced ?? [])].map((p) => place.prefix + p);
  extra.push(...(await untrackedFiles(place, forced, tracked, true)));
  const tree = await snapshotWorkspace(place.gitRoot, extra);
  const idents = await gitIdents(place.gitRoot, repo.env);
  const { common } = await gitDirs(place.gitRoot);
  const commit = await writeObject(
    common,
    "commit",
    commitContent({
      tree,
      parents: [req.baseline],
      author: idents.author,
      committer: idents.committer,
      message: req.message ?? expCommitMessage(req.expHash),
    }),
  );
  const ref = expRefName(req.baseline, req.name);
  try {
    await updateRef(place.gitRoot, ref, commit, req.force ? undefined : null);
  } catch (e) {
    if (e instanceof RefChangedError && e.expected === null) throw new ExperimentExistsError(req.name, ref);
    throw e;
  }
  return { ref, commit, tree };
}
