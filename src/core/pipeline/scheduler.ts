// Runs a plan's nodes with at most `jobs` at once, each only after the nodes it needs (within the plan) have
// finished. A failure stops new work (or, with keepGoing, only the nodes downstream of it); an interrupt stops
// new work at once. What was not started is reported as such.
import { AppError } from "../../errors.js";
import type { PipelineGraph } from "../../pipeline/graph.js";
import type { StageOutcome } from "./run-stage.js";

export interface PlanResult {
  outcomes: StageOutcome[];
  failures: Array<{ stage: string; error: unknown }>;
  /** Nodes not started: after a failure or an interrupt, or downstream of a failure. */
  notRun: string[];
}

export interface ScheduleOptions {
  jobs: number;
  keepGoing: boolean;
  signal?: AbortSignal;
}

/** `run(id, upstream)` gets the outcomes of the node's in-plan upstream nodes. */
export async function runPlan(
  graph: PipelineGraph,
  steps: string[],
  opts: ScheduleOptions,
  run: (id: string, upstream: StageOutcome[]) => Promise<StageOutcome>,
): Promise<PlanResult> {
  const inPlan = new Set(steps);
  const needs = new Map(steps.map((id) => [id, (graph.upstream.get(id) ?? []).filter((u) => inPlan.has(u))]));
  const outcome = new Map<string, StageOutcome>();
  const failed = new Set<string>();
  const failures: PlanResult["failures"] = [];
  const pending = [...steps];
  let stop = false;
  let running = 0;

  return new Promise((resolve) => {
    const finish = (): void => {
      const notRun = steps.filter((id) => !outcome.has(id) && !failed.has(id));
      resolve({ outcomes: steps.flatMap((id) => outcome.get(id) ?? []), failures, notRun });
    };
    const pump = (): void => {
      if (opts.signal?.aborted) stop = true;
      for (let i = 0; i < pending.length && running < opts.jobs && !stop;) {
        const id = pending[i]!;
        const ups = needs.get(id)!;
        if (ups.some((u) => failed.has(u) || (!outcome.has(u) && inPlan.has(u) && !failed.has(u)))) {
          // blocked: an upstream failed (dropped below) or has not finished yet
          if (ups.some((u) => failed.has(u))) pending.splice(i, 1);
          else i++;
          continue;
        }
        pending.splice(i, 1);
        running++;
        run(
          id,
          ups.map((u) => outcome.get(u)!),
        ).then(
          (o) => {
            outcome.set(id, o);
            running--;
            pump();
          },
          (error: unknown) => {
            failed.add(id);
            failures.push({ stage: id, error });
            running--;
            const interrupted = error instanceof AppError && error.code === "INTERRUPTED";
            if (!opts.keepGoing || interrupted) stop = true;
            pump();
          },
        );
      }
      if (running === 0 && (stop || pending.length === 0 || !pending.some((id) => ready(id)))) finish();
    };
    const ready = (id: string): boolean => needs.get(id)!.every((u) => outcome.has(u));
    pump();
  });
}
