// dvx exp push GIT_REMOTE [NAME...]: the experiments' data to the dvx remote first (a ref on the git remote then
// vouches that its data is there), then their refs to the git remote under the same names. Without names: the
// experiments of HEAD's baseline; -A: all of them. Their run records (git notes) go along, merged with the remote's.
import { gitPlace } from "../exp/collect.js";
import { headCommit, listExperiments, resolveExperiments, type Experiment } from "../exp/experiments.js";
import { pushRefs, type RefTransfer } from "../exp/git-remote.js";
import { pushRunNotes } from "../exp/notes-remote.js";
import type { Repo } from "../repo.js";
import { pushOp, type PushResult } from "./push.js";

export interface ExpTransferOptions {
  gitRemote: string;
  names: string[];
  allCommits?: boolean;
  /** Overwrite refs that hold another commit on the other side. */
  force?: boolean;
  /** Refs only, no data (--no-cache). */
  noCache?: boolean;
  /** The dvx remote (default: core.remote). */
  remote?: string;
  jobs?: number;
  runCache?: boolean;
}

export interface ExpPushResult {
  experiments: Experiment[];
  refs: RefTransfer[];
  /** Experiments whose run records (git notes) the remote got. */
  notes: number;
  data?: PushResult;
}

export async function expPushOp(repo: Repo, opts: ExpTransferOptions): Promise<ExpPushResult> {
  const { gitRoot } = await gitPlace(repo);
  let exps: Experiment[];
  if (opts.names.length > 0) exps = await resolveExperiments(gitRoot, opts.names);
  else exps = await listExperiments(gitRoot, opts.allCommits ? undefined : await headCommit(gitRoot));
  if (exps.length === 0) return { experiments: [], refs: [], notes: 0 };
  const data = opts.noCache
    ? undefined
    : await pushOp(repo, {
        cwd: repo.root,
        targets: [],
        commits: exps.map((e) => e.oid),
        noWorkspace: true,
        ...(opts.remote !== undefined ? { remote: opts.remote } : {}),
        ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
        ...(opts.runCache ? { runCache: true } : {}),
      });
  const refs = await pushRefs(
    gitRoot,
    opts.gitRemote,
    exps.map((e) => e.ref),
    opts.force === true,
    repo.env,
  );
  // the run records after the refs: a note on the remote then always annotates a commit it holds
  const { notes } = await pushRunNotes(
    gitRoot,
    opts.gitRemote,
    exps.map((e) => e.oid),
    repo.env,
  );
  return { experiments: exps, refs, notes, ...(data ? { data } : {}) };
}
