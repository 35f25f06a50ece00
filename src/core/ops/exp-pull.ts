// dvx exp pull GIT_REMOTE [NAME...]: the experiments' refs from the git remote (same names), then their data from
// the dvx remote into the cache (`exp apply` checks it out). Without names: the remote's experiments of HEAD's
// baseline; -A: all of them. Their run records (git notes) come along, merged into the local ones.
import { AmbiguousExperimentError, ExperimentNotFoundError } from "../../exp/errors.js";
import { resolveRef } from "../../git/refs-store.js";
import { gitPlace } from "../exp/collect.js";
import type { Experiment } from "../exp/experiments.js";
import { fetchRefs, remoteExperiments } from "../exp/git-remote.js";
import { pullRunNotes } from "../exp/notes-remote.js";
import type { Repo } from "../repo.js";
import type { ExpTransferOptions } from "./exp-push.js";
import { fetchOp, type FetchResult } from "./fetch.js";

export interface ExpPullResult {
  experiments: Experiment[];
  /** Experiments whose run records (git notes) were taken into the local notes. */
  notes: number;
  data?: Omit<FetchResult, "outputs" | "prepared">;
}

function pickRemote(all: Experiment[], names: string[], head: string | null): Experiment[] {
  const missing: string[] = [];
  const out: Experiment[] = [];
  for (const n of names) {
    const hits = all.filter((e) => e.ref === n || e.name === n || (/^[0-9a-f]{7,40}$/.test(n) && e.oid.startsWith(n)));
    const hit = hits.length === 1 ? hits[0] : hits.find((e) => e.baseline === head);
    if (hit) out.push(hit);
    else if (hits.length > 1)
      throw new AmbiguousExperimentError(
        n,
        hits.map((e) => e.ref),
      );
    else missing.push(n);
  }
  if (missing.length > 0) throw new ExperimentNotFoundError(missing);
  return out;
}

export async function expPullOp(repo: Repo, opts: ExpTransferOptions): Promise<ExpPullResult> {
  const { gitRoot } = await gitPlace(repo);
  const head = await resolveRef(gitRoot, "HEAD");
  const all = await remoteExperiments(gitRoot, opts.gitRemote, repo.env);
  const exps =
    opts.names.length > 0
      ? pickRemote(all, opts.names, head)
      : all.filter((e) => opts.allCommits || e.baseline === head);
  if (exps.length === 0) return { experiments: [], notes: 0 };
  await fetchRefs(
    gitRoot,
    opts.gitRemote,
    exps.map((e) => e.ref),
    opts.force === true,
    repo.env,
  );
  const { notes } = await pullRunNotes(
    gitRoot,
    opts.gitRemote,
    exps.map((e) => e.oid),
    repo.env,
  );
  if (opts.noCache) return { experiments: exps, notes };
  const {
    outputs: _o,
    prepared: _p,
    ...data
  } = await fetchOp(repo, {
    cwd: repo.root,
    targets: [],
    commits: exps.map((e) => e.oid),
    noWorkspace: true,
    ...(opts.remote !== undefined ? { remote: opts.remote } : {}),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.runCache ? { runCache: true } : {}),
  });
  return { experiments: exps, notes, data };
}
