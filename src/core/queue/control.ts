// What other commands do to a queue that may be running: find the runner, repair after a dead one, kill entries.
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { QueueEntryStateError, QueueRunningError } from "../../exp/queue-errors.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import type { LockInfo } from "../lock.js";
import type { Repo } from "../repo.js";
import type { Executor, WorkerHandle } from "./executor.js";
import { processAlive } from "../../util/process-alive.js";
import { reconcile } from "./reconcile.js";
import { takeRunnerLock } from "./runner.js";
import { killFile, listEntries, runnerLockDir, type QueueEntry } from "./store.js";

/** The live runner's lock record, or null when no runner runs (on this host, a dead holder counts as none). */
export async function runnerHolder(repo: Repo): Promise<LockInfo | null> {
  let info: LockInfo;
  try {
    info = JSON.parse(await fs.readFile(path.join(runnerLockDir(repo), "dvx.lock"), "utf8")) as LockInfo;
  } catch {
    return null;
  }
  return info.host !== hostname() || processAlive(info.pid) ? info : null;
}

/**
 * What of the queue still writes into the cache: the runner (named by its pid), or, when it died, a worker it left
 * running (they run on and finish). Null when nothing does.
 */
export async function queueActivity(repo: Repo, executor: Executor): Promise<string | null> {
  const runner = await runnerHolder(repo);
  if (runner !== null) return `run by pid ${runner.pid} on ${runner.host}`;
  for (const e of await listEntries(repo)) {
    const worker = e.state.worker as WorkerHandle | undefined;
    if (e.state.status === "running" && worker && executor.alive(worker)) return `'${e.task.name}' still running`;
  }
  return null;
}

/** Repairs entries a dead runner left running, unless a runner is alive (then it owns them). */
export async function reconcileIfIdle(repo: Repo, executor: Executor): Promise<void> {
  if ((await runnerHolder(repo)) !== null) return;
  let lock;
  try {
    lock = await takeRunnerLock(repo, "dvx queue (repair)");
  } catch (e) {
    if (e instanceof QueueRunningError) return; // a runner started meanwhile
    throw e;
  }
  try {
    await reconcile(repo, executor, { killOrphans: false });
  } finally {
    await lock.release();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Ends running entries: a kill request is left for the runner (which then records them failed, killed) and the
 * work is stopped through the executor; an entry still being prepared is stopped by its runner once it sees the
 * request. Entries not running are refused (nothing is killed then).
 */
export async function killEntries(repo: Repo, executor: Executor, entries: QueueEntry[]): Promise<void> {
  for (const e of entries)
    if (e.state.status !== "running")
      throw new QueueEntryStateError(
        e.task.name,
        e.state.status,
        "kill",
        'only running experiments can be killed; see "dvx queue status"',
      );
  await Promise.all(
    entries.map(async (e) => {
      await writeFileAtomic(killFile(e.dir), `${process.pid}\n`);
      for (const until = Date.now() + 15_000; Date.now() < until; await sleep(100)) {
        const now = (await listEntries(repo)).find((x) => x.task.id === e.task.id);
        if (!now || now.state.status !== "running") return;
        const handle = now.state.worker as WorkerHandle | undefined;
        if (handle) return executor.kill(handle);
      }
    }),
  );
}
