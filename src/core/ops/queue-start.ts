// dvx queue start / exp run --run-all: runs the queue with the local executor until it is empty (runner.ts).
import { localExecutor } from "../queue/local-executor.js";
import { runQueue, type QueueRunResult, type RunnerEvent } from "../queue/runner.js";
import type { Repo } from "../repo.js";

export interface QueueStartOptions {
  /** Experiments run at the same time. */
  jobs: number;
  signal?: AbortSignal;
  report?: (event: RunnerEvent) => void;
}

export type QueueStartResult = QueueRunResult;

export async function queueStartOp(repo: Repo, opts: QueueStartOptions): Promise<QueueStartResult> {
  return runQueue(repo, { ...opts, executor: localExecutor() });
}
