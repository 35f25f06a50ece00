// Runs a plan's nodes with at most `jobs` at once, each only after the nodes it needs (within the plan) have
// finished. A failure stops new work (or, with keepGoing, only the nodes downstream of it); an interrupt stops
// new work at once. What was not started is reported as such. Linear in the plan's size: each node keeps a
// count of what it still waits for, and ready nodes queue in plan order.
import { AppError } from "../../errors.js";
import type { PipelineGraph } from "../../pipeline/graph.js";
import type { StageOutcome } from "./run-stage.js";

export interface PlanResult {
  outcomes: StageOutcome[];
  /** Nodes that threw, with the time they ran for. */
  failures: Array<{ stage: string; error: unknown; durationMs: number }>;
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
  const position = new Map(steps.map((id, i) => [id, i] as const));
  const needs = new Map(steps.map((id) => [id, (graph.upstream.get(id) ?? []).filter((u) => position.has(u))]));
  const waiting = new Map(steps.map((id) => [id, needs.get(id)!.length]));
  const dependents = new Map<string, string[]>(steps.map((id) => [id, []]));
  for (const id of steps) for (const u of needs.get(id)!) dependents.get(u)!.push(id);
  const outcome = new Map<string, StageOutcome>();
  const failures: PlanResult["failures"] = [];
  // ready nodes, kept in plan order (a small binary heap on plan position)
  const ready: number[] = [];
  const push = (id: string): void => {
    ready.push(position.get(id)!);
    for (let i = ready.length - 1; i > 0 && ready[(i - 1) >> 1]! > ready[i]!; i = (i - 1) >> 1)
      [ready[i], ready[(i - 1) >> 1]] = [ready[(i - 1) >> 1]!, ready[i]!];
  };
  const pop = (): string => {
    const top = ready[0]!;
    const last = ready.pop()!;
    if (ready.length > 0) {
      ready[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < ready.length && ready[l]! < ready[m]!) m = l;
        if (r < ready.length && ready[r]! < ready[m]!) m = r;
        if (m === i) break;
        [ready[i], ready[m]] = [ready[m]!, ready[i]!];
        i = m;
      }
    }
    return steps[top]!;
  };
  for (const id of steps) if (waiting.get(id) === 0) push(id);
  let stop = false;
  let running = 0;

  return new Promise((resolve) => {
    const finish = (): void => {
      const notRun = steps.filter((id) => !outcome.has(id) && !failures.some((f) => f.stage === id));
      resolve({ outcomes: steps.flatMap((id) => outcome.get(id) ?? []), failures, notRun });
    };
    const pump = (): void => {
      if (opts.signal?.aborted) stop = true;
      while (!stop && running < opts.jobs && ready.length > 0) {
        const id = pop();
        running++;
        const started = Date.now();
        run(
          id,
          needs.get(id)!.map((u) => outcome.get(u)!),
        ).then(
          (o) => {
            outcome.set(id, o);
            running--;
            for (const d of dependents.get(id)!) {
              const left = waiting.get(d)! - 1;
              waiting.set(d, left);
              if (left === 0) push(d);
            }
            pump();
          },
          (error: unknown) => {
            failures.push({ stage: id, error, durationMs: Date.now() - started });
            running--;
            const interrupted = error instanceof AppError && error.code === "INTERRUPTED";
            if (!opts.keepGoing || interrupted) stop = true;
            pump(); // with keepGoing, the failed node's dependents never become ready
          },
        );
      }
      if (running === 0 && (stop || ready.length === 0)) finish();
    };
    pump();
  });
}
