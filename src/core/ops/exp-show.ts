// dvx exp show: the workspace, each baseline and its experiments, in DVC's ExpState shape (collect.py): baselines
// in the order asked for, each experiment of a baseline newest first. Everything is read from git objects and
// each distinct blob is parsed once, so hundreds of experiments that share files cost little more than one.
// With `record`, the fields of each experiment's run record (git notes, core/runs/record-columns.ts) come along.
import type { ExpRange, ExpState } from "../../metrics/exp-state.js";
import { baselineCommits, describeCommits, type BaselineScope } from "../exp/baselines.js";
import { collectRev, memoFiles, type CollectOptions } from "../exp/collect-rev.js";
import { listExperiments, type Experiment } from "../exp/experiments.js";
import { ParseMemo } from "../exp/memo-files.js";
import { queueRanges } from "../exp/queue-ranges.js";
import type { Repo } from "../repo.js";
import { findGitRoot } from "../../git/find-git-root.js";
import type { RecordValues } from "../runs/record-columns.js";

export interface ExpShowOptions extends BaselineScope {
  paramDeps?: boolean;
  hideWorkspace?: boolean;
  /** Name baselines by their short commit, never by branch or tag (DVC's --sha). */
  shaOnly?: boolean;
  /** Run-record fields to add ("duration,status"; core/runs/record-columns.ts). */
  record?: string;
  /** Leave out the queue's waiting entries / its failed ones (shown by default, as DVC does). */
  hideQueued?: boolean;
  hideFailed?: boolean;
}

export interface ExpShowResult {
  /** The workspace (unless hidden), then one state per baseline with its experiments. */
  states: ExpState[];
  /** With `record`: the fields, and their values per experiment commit that has a run record. */
  record?: RecordValues;
}

/** How far an experiment's first parents are followed to find its baseline (legacy checkpoint chains). */
const MAX_CHAIN = 64;

export async function expShowOp(repo: Repo, opts: ExpShowOptions = {}): Promise<ExpShowResult> {
  // run-record columns: loaded only when asked for; a bad field is refused before any reading
  const records = opts.record === undefined ? undefined : await import("../runs/record-columns.js");
  records?.parseRecordFields(opts.record!);
  const { headOid, readObjectInfo } = await import("../../git/git-read.js");
  if ((await headOid(repo.root)) === null) return { states: [] };
  const memo = new ParseMemo();
  const collectOpts: CollectOptions = { paramDeps: opts.paramDeps === true };
  const timeOf = async (commit: string): Promise<number | null> => {
    const info = await readObjectInfo(repo.root, commit);
    return info?.type === "commit" ? info.time : null;
  };
  const state = async (commit: string, name: string | null): Promise<ExpState> => {
    const c = await collectRev(await memoFiles(repo, memo, commit), await timeOf(commit), collectOpts);
    return { rev: commit, name, data: c.data, error: c.error, experiments: null };
  };

  const baselines = await baselineCommits(repo, opts);
  const names = opts.shaOnly ? new Map<string, string>() : await describeCommits(repo, baselines);
  const states: ExpState[] = [];
  if (!opts.hideWorkspace) {
    const c = await collectRev(await memoFiles(repo, memo), null, collectOpts);
    states.push({ rev: "workspace", name: null, data: c.data, error: c.error, experiments: null });
  }
  const queue = await queueRanges(repo, new Set(baselines), (commit, name) => state(commit, name), {
    hideQueued: opts.hideQueued === true,
    hideFailed: opts.hideFailed === true,
  });
  const byBaseline = new Map<string, Experiment[]>();
  for (const e of await listExperiments(repo.root))
    (byBaseline.get(e.baseline) ?? byBaseline.set(e.baseline, []).get(e.baseline)!).push(e);

  for (const baseline of baselines) {
    const base = await state(baseline, names.get(baseline) ?? null);
    const ranges: ExpRange[] = [];
    for (const ref of byBaseline.get(baseline) ?? []) {
      const chain = await chainTo(ref.oid, baseline, readObjectInfo.bind(null, repo.root));
      const revs: ExpState[] = [];
      for (const [i, commit] of chain.entries()) revs.push(await state(commit, i === 0 ? ref.name : null));
      ranges.push({ revs, executor: null, name: ref.name });
    }
    // DVC's collect: running, finished, queued, failed; each by _sorted_ranges
    const experiments = [
      ...sortedRanges(queue.running.get(baseline) ?? []),
      ...sortedRanges(ranges),
      ...sortedRanges(queue.queued.get(baseline) ?? []),
      ...sortedRanges(queue.failed.get(baseline) ?? []),
    ];
    states.push({ ...base, experiments: experiments.length > 0 ? experiments : null });
  }
  if (!records) return { states };
  const gitRoot = (await findGitRoot(repo.root)) ?? repo.root;
  return { states, record: await records.recordValues(gitRoot, opts.record!) };
}

const cmpDesc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** DVC's _sorted_ranges: by the first revision's (timestamp, rev), newest first; (epoch, "") without data. */
function sortedRanges(ranges: ExpRange[]): ExpRange[] {
  const key = (r: ExpRange): [number, string] => {
    const head = r.revs[0];
    return head?.data?.timestamp ? [head.data.timestamp, head.rev] : [0, ""];
  };
  return [...ranges].sort((a, b) => {
    const [ta, ra] = key(a);
    const [tb, rb] = key(b);
    return tb - ta || cmpDesc(ra, rb);
  });
}

type ReadInfo = (oid: string) => Promise<{ type: string; parents?: string[] } | null>;

/** The experiment's commits from its tip back to (not including) the baseline; just the tip when that fails. */
async function chainTo(tip: string, baseline: string, readInfo: ReadInfo): Promise<string[]> {
  const chain = [tip];
  for (let oid = tip; chain.length <= MAX_CHAIN;) {
    const info = await readInfo(oid);
    const parent = info?.type === "commit" ? info.parents?.[0] : undefined;
    if (parent === undefined) return [tip];
    if (parent === baseline) return chain;
    chain.push((oid = parent));
  }
  return [tip];
}
