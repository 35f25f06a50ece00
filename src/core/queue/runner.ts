// The queue runner (`dvx queue start`, `exp run --run-all`): runs queued experiments, at most `jobs` at a time,
// oldest first (entries queued while it runs are picked up too), each through the executor (executor.ts), until
// the queue is empty or a stop was asked for. One runner per repository: it holds runner/dvx.lock; a second one
// fails at once with QueueRunningError (exit 8).
//
// What each entry becomes: success (its experiment ref exists) or failed (error kept, log kept; a worker killed
// with -9 is detected by its exit and its leftover processes are killed). Interrupts: the first Ctrl-C/SIGTERM
// stops every worker (SIGTERM, SIGKILL after 10 s), removes their worktrees, and puts their entries back to
// queued; a second one does the same at once, synchronously, as the process exits. Entries ended by
// `queue kill` / `queue stop --kill` are failed (killed).
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { LockBusyError } from "../../errors.js";
import { QueueRunningError } from "../../exp/queue-errors.js";
import { acquireLock } from "../lock.js";
import type { Repo } from "../repo.js";
import type { Collected, Executor, Prepared, WorkerHandle } from "./executor.js";
import { finish, hostInfo, KILLED, reconcile, requeueSync } from "./reconcile.js";
import {
  errorOf,
  killFile,
  listEntries,
  logFile,
  runnerLockDir,
  resultFile,
  stopFile,
  withQueueLock,
  writeState,
  type QueueEntry,
  type TaskState,
} from "./store.js";

export interface RunnerEvent {
  kind: "started" | "finished" | "requeued";
  id: string;
  name: string;
  state: TaskState;
}

export interface RunnerOptions {
  jobs: number;
  executor: Executor;
  signal?: AbortSignal;
  report?: (event: RunnerEvent) => void;
}

export interface QueueRunResult {
  ran: Array<{ id: string; name: string; state: TaskState }>;
  interrupted: boolean;
  /** `dvx queue stop` ended the run before the queue was empty. */
  stopped: boolean;
}

/** Takes the runner lock (at once, or QueueRunningError naming the holder). */
export async function takeRunnerLock(repo: Repo, what: string): Promise<{ release(): Promise<void> }> {
  try {
    return await acquireLock(runnerLockDir(repo), what, 0);
  } catch (e) {
    if (e instanceof LockBusyError) throw new QueueRunningError(String(e.details?.holder ?? "another process"));
    throw e;
  }
}

export async function runQueue(repo: Repo, opts: RunnerOptions): Promise<QueueRunResult> {
  const lock = await takeRunnerLock(repo, "dvx queue start");
  const { executor } = opts;
  const active = new Map<string, { entry: QueueEntry; handle?: WorkerHandle; prepared?: Prepared }>();
  const onExit = (): void => {
    for (const a of active.values()) {
      executor.abandon(a.entry.task, repo, a.handle);
      requeueSync(a.entry);
    }
  };
  process.on("exit", onExit);
  const result: QueueRunResult = { ran: [], interrupted: false, stopped: false };
  const aborted = (): boolean => opts.signal?.aborted === true;
  const running = new Map<string, Promise<void>>();
  try {
    await rm(stopFile(repo), { force: true });
    await reconcile(repo, executor, { killOrphans: true });
    const launch = async (entry: QueueEntry): Promise<void> => {
      const a: { entry: QueueEntry; handle?: WorkerHandle; prepared?: Prepared } = { entry };
      active.set(entry.task.id, a);
      const ctx = {
        repo,
        taskDir: entry.dir,
        logFile: logFile(entry.dir),
        signal: opts.signal ?? new AbortController().signal,
        onStarted: async (handle: WorkerHandle): Promise<void> => {
          a.handle = handle;
          await writeState(entry.dir, (entry.state = { ...entry.state, worker: handle }));
          if (existsSync(killFile(entry.dir))) void executor.kill(handle); // asked for while it started
        },
      };
      let outcome: Collected;
      try {
        a.prepared = await executor.prepare(entry.task, ctx);
        if (existsSync(killFile(entry.dir))) outcome = { status: "failed", error: KILLED };
        else if (aborted()) outcome = { status: "failed", error: { code: "INTERRUPTED", message: "interrupted" } };
        else {
          const exit = await executor.run(entry.task, a.prepared, ctx);
          outcome = await executor.collect(entry.task, a.prepared, exit, ctx);
        }
      } catch (e) {
        outcome = { status: "failed", error: errorOf(e) };
      } finally {
        if (a.prepared) await executor.cleanup(a.prepared).catch(() => undefined);
      }
      const killed = existsSync(killFile(entry.dir));
      const requeue = aborted() && !killed && outcome.status !== "success";
      // the outcome must be recorded: a queue lock held past its timeout (a slow `exp run --queue`) is waited out
      const state = await untilLocked(opts.signal, () =>
        withQueueLock(repo, "dvx queue start", () => finish(entry, outcome, killed, requeue)),
      );
      active.delete(entry.task.id);
      result.ran.push({ id: entry.task.id, name: entry.task.name, state });
      opts.report?.({ kind: requeue ? "requeued" : "finished", id: entry.task.id, name: entry.task.name, state });
    };
    for (;;) {
      if (!aborted() && existsSync(stopFile(repo))) result.stopped = true;
      while (!aborted() && !result.stopped && running.size < opts.jobs) {
        let next: QueueEntry | null;
        try {
          next = await withQueueLock(repo, "dvx queue start", () => claimNext(repo, new Set(running.keys())));
        } catch (e) {
          // the queue is busy past the lock timeout: go on with what runs, claim again when one finishes
          if (!(e instanceof LockBusyError) || running.size === 0) throw e;
          break;
        }
        if (next === null) break;
        opts.report?.({ kind: "started", id: next.task.id, name: next.task.name, state: next.state });
        const id = next.task.id;
        running.set(
          id,
          launch(next).finally(() => running.delete(id)),
        );
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    result.interrupted = aborted();
    if (result.stopped && (await listEntries(repo)).every((e) => e.state.status !== "queued")) result.stopped = false;
    return result;
  } finally {
    // never give up the runner lock while workers still run (an error above must not orphan them)
    await Promise.allSettled([...running.values()]);
    process.off("exit", onExit);
    await rm(stopFile(repo), { force: true });
    await lock.release();
  }
}

/** Retries `fn` while it fails with LockBusyError (each try already waited the lock timeout), until aborted. */
async function untilLocked<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof LockBusyError) || signal?.aborted) throw e;
    }
  }
}

/** The oldest queued entry not being launched already, marked running (under the state lock). */
async function claimNext(repo: Repo, launching: Set<string>): Promise<QueueEntry | null> {
  const next = (await listEntries(repo)).find((e) => e.state.status === "queued" && !launching.has(e.task.id));
  if (!next) return null;
  await rm(killFile(next.dir), { force: true });
  await rm(resultFile(next.dir), { force: true });
  next.state = {
    status: "running",
    attempt: next.state.attempt + 1,
    started: new Date().toISOString(),
    runner: hostInfo(),
  };
  await writeState(next.dir, next.state);
  return next;
}
