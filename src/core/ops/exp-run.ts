// dvx exp run: apply -S overrides, reproduce, and record the result as an experiment commit and ref
// (docs/formats.md §11.1), in the workspace. The work is done by core/exp/run-experiment.ts, which a queue can
// call in another work tree.
import { withLock } from "../lock.js";
import type { Repo } from "../repo.js";
import { runExperiment, type ExperimentResult, type ExperimentSpec } from "../exp/run-experiment.js";

export type ExpRunOptions = ExperimentSpec;
export type ExpRunResult = ExperimentResult;

export async function expRunOp(repo: Repo, opts: ExpRunOptions): Promise<ExpRunResult> {
  return withLock(repo, "dvx exp run", () => runExperiment(repo, opts));
}
