// Entry states after a run, and repairs after a runner died (kill -9, power loss): an entry still marked running
// while nobody holds the runner lock was left by a dead runner. Its worker may still be running: `queue start`
// kills it (killOrphans), read-only commands leave it (it finishes and writes its result). Once its worker is gone
// the entry becomes success (its worker reported an experiment whose ref exists), failed (the worker reported a
// failure, or `queue kill` asked for it), or queued again (no result: it never finished); its worktree is removed.
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { resolveRef } from "../../git/refs-store.js";
import { gitPlace } from "../exp/collect.js";
import type { Repo } from "../repo.js";
import type { Collected, Executor, WorkerHandle } from "./executor.js";
import {
  killFile,
  listEntries,
  readResult,
  withQueueLock,
  writeState,
  type QueueEntry,
  type TaskError,
  type TaskState,
  type WorkerResult,
} from "./store.js";

export const hostInfo = (): { pid: number; host: string } => ({ pid: process.pid, host: hostname() });

export const KILLED: TaskError = {
  code: "KILLED",
  message: "killed by dvx queue kill",
  hint: "queue it again to rerun it",
};

/** The entry's final state (or queued again), written; the kill request is consumed. */
export async function finish(
  entry: QueueEntry,
  outcome: Collected,
  killed: boolean,
  requeue: boolean,
): Promise<TaskState> {
  const { attempt, started } = entry.state;
  const state: TaskState = requeue
    ? { status: "queued", attempt }
    : outcome.status === "success"
      ? { status: "success", attempt, ...(started ? { started } : {}), ended: new Date().toISOString() }
      : { status: "failed", attempt, ...(started ? { started } : {}), ended: new Date().toISOString() };
  if (!requeue && outcome.status === "success") state.experiment = outcome.experiment;
  if (!requeue && outcome.status === "failed") {
    state.error = killed ? KILLED : outcome.error;
    if (killed) state.killed = true;
  }
  await writeState(entry.dir, (entry.state = state));
  await rm(killFile(entry.dir), { force: true });
  return state;
}

/** Puts a running entry back to queued without awaiting (the process is exiting). */
export function requeueSync(entry: QueueEntry): void {
  const file = path.join(entry.dir, "state.json");
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ status: "queued", attempt: entry.state.attempt }, null, 2) + "\n");
    renameSync(tmp, file);
  } catch {
    // the next runner reconciles it (no runner holds the lock: it was left running)
  }
}

/** What a finished worker left, as an outcome; null when it left nothing (it never finished). */
async function outcomeOf(repo: Repo, entry: QueueEntry): Promise<Collected | null> {
  const result = await readResult<WorkerResult>(entry.dir);
  if (result === null || (entry.state.started !== undefined && result.ended < entry.state.started)) return null;
  if (result.status === "failed") return { status: "failed", error: result.error };
  const { gitRoot } = await gitPlace(repo);
  if ((await resolveRef(gitRoot, result.experiment.ref)) !== result.experiment.commit) return null;
  return { status: "success", experiment: result.experiment };
}

/** Repairs entries left running by a runner that died; the caller holds the runner lock. */
export async function reconcile(repo: Repo, executor: Executor, opts: { killOrphans: boolean }): Promise<void> {
  for (const entry of await listEntries(repo)) {
    if (entry.state.status !== "running") continue;
    const handle = entry.state.worker as WorkerHandle | undefined;
    let stopped = false;
    if (handle && executor.alive(handle)) {
      if (!opts.killOrphans) continue;
      await executor.kill(handle);
      stopped = true;
    }
    executor.abandon(entry.task, repo, handle);
    const killed = existsSync(killFile(entry.dir));
    let outcome = await outcomeOf(repo, entry);
    // stopped here, or interrupted: it did not fail, it will run again (unless it got to the end)
    if (outcome?.status === "failed" && (stopped || outcome.error.code === "INTERRUPTED")) outcome = null;
    await withQueueLock(repo, "dvx queue (repair)", () =>
      finish(entry, outcome ?? { status: "failed", error: KILLED }, killed, outcome === null && !killed),
    );
  }
}
