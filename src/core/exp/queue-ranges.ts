// The queue's entries as `exp show` lists them, as DVC's collect_active / collect_queued / collect_failed do: each
// running, waiting or failed entry under its baseline, read from its snapshot commit (the params as its -S
// overrides left them). A queued or running entry shows no metrics (the snapshot's are its baseline's, not its
// own); a failed one keeps them and carries DVC's error "Experiment run failed". Finished ones are experiments
// (refs/exps), listed by exp-show.ts as every other.
import type { ExpExecutor, ExpRange, ExpState } from "../../metrics/exp-state.js";
import type { Repo } from "../repo.js";
import { listEntries, logFile, type QueueEntry } from "../queue/store.js";

export type QueueRanges = Record<"running" | "queued" | "failed", Map<string, ExpRange[]>>;

/** DVC names the executor of its queue's tasks "dvc-task"; a failed task's has no name. */
const TASK_EXECUTOR = "dvc-task";

type Shown = "running" | "queued" | "failed";

function executorOf(e: QueueEntry): ExpExecutor & { state: Shown } {
  const worker = e.state.worker as { pid?: unknown; worktree?: unknown } | undefined;
  const state: Shown = e.state.status === "running" || e.state.status === "failed" ? e.state.status : "queued";
  const running = state === "running";
  return {
    state,
    name: state === "failed" ? null : TASK_EXECUTOR,
    local: {
      root: running && typeof worker?.worktree === "string" ? worker.worktree : null,
      log: state === "queued" ? null : logFile(e.dir),
      pid: running && typeof worker?.pid === "number" ? worker.pid : null,
      returncode: null,
      task_id: e.task.stash,
    },
  };
}

/** The entries on `baselines`, by baseline; `collect(commit, name)` reads one snapshot commit. */
export async function queueRanges(
  repo: Repo,
  baselines: ReadonlySet<string>,
  collect: (commit: string, name: string) => Promise<ExpState>,
  opts: { hideQueued: boolean; hideFailed: boolean },
): Promise<QueueRanges> {
  const out: QueueRanges = { running: new Map(), queued: new Map(), failed: new Map() };
  for (const e of await listEntries(repo)) {
    const { status } = e.state;
    if (status === "success" || !baselines.has(e.task.baseline)) continue;
    if ((status === "queued" && opts.hideQueued) || (status === "failed" && opts.hideFailed)) continue;
    const executor = executorOf(e);
    const rev = await collect(e.task.stash, e.task.name);
    if (executor.state === "failed") rev.error = { msg: "Experiment run failed", type: "" };
    else if (rev.data) rev.data = { ...rev.data, metrics: {} };
    const byBaseline = out[executor.state];
    const list = byBaseline.get(e.task.baseline) ?? byBaseline.set(e.task.baseline, []).get(e.task.baseline)!;
    list.push({ revs: [rev], executor, name: e.task.name });
  }
  return out;
}
