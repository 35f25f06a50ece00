// dvx queue status: every entry with its state, and the runner (if one runs). Read-only: an entry a dead runner
// left running is shown as such (`orphaned`) and repaired by the next queue start / remove / kill.
import path from "node:path";
import type { LockInfo } from "../lock.js";
import { runnerHolder } from "../queue/control.js";
import { listEntries, logFile, type QueueStatus, type TaskError, type TaskState } from "../queue/store.js";
import type { Repo } from "../repo.js";

export interface QueueStatusEntry {
  id: string;
  name: string;
  status: QueueStatus;
  baseline: string;
  params: string[];
  created: string;
  started?: string;
  ended?: string;
  attempt: number;
  experiment?: TaskState["experiment"];
  error?: TaskError;
  killed?: boolean;
  /** Running, but the runner that started it is gone. */
  orphaned?: boolean;
  /** The log file, repo-relative. */
  log: string;
}

export interface QueueStatusResult {
  entries: QueueStatusEntry[];
  runner: LockInfo | null;
}

export async function queueStatusOp(repo: Repo): Promise<QueueStatusResult> {
  const runner = await runnerHolder(repo);
  const entries = (await listEntries(repo)).map(({ task, state, dir }): QueueStatusEntry => {
    const { status, attempt, started, ended, experiment, error, killed } = state;
    return {
      id: task.id,
      name: task.name,
      status,
      baseline: task.baseline,
      params: task.params,
      created: task.created,
      ...(started !== undefined ? { started } : {}),
      ...(ended !== undefined ? { ended } : {}),
      attempt,
      ...(experiment ? { experiment } : {}),
      ...(error ? { error } : {}),
      ...(killed ? { killed } : {}),
      ...(status === "running" && runner === null ? { orphaned: true } : {}),
      log: path.relative(repo.root, logFile(dir)).split(path.sep).join("/"),
    };
  });
  return { entries, runner };
}
