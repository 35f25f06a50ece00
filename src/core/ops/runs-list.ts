// dvx runs list: the run records (repro runs and experiments), newest first, optionally filtered by an
// expression over their fields (`metrics.acc > 0.9 && params.train.lr < 0.01`, core/runs/filter-parse.ts).
import { matches } from "../runs/filter-eval.js";
import { parseFilter } from "../runs/filter-parse.js";
import { loadRuns, type KnownRun } from "../runs/load-runs.js";
import type { Repo } from "../repo.js";

export interface RunsListOptions {
  filter?: string;
  /** At most this many (newest first); undefined: all. */
  limit?: number;
}

export interface RunsListResult {
  runs: KnownRun[];
  /** How many records matched the filter (all of them without one), before the limit. */
  matched: number;
  total: number;
}

export async function runsListOp(repo: Repo, opts: RunsListOptions): Promise<RunsListResult> {
  const filter = opts.filter !== undefined ? parseFilter(opts.filter) : undefined; // bad syntax fails before any I/O
  const all = await loadRuns(repo);
  const hits = filter ? all.filter((r) => matches(filter, r.record)) : all;
  return { runs: opts.limit === undefined ? hits : hits.slice(0, opts.limit), matched: hits.length, total: all.length };
}
