// dvx queue stop [--kill]: asks the running `queue start` to start nothing new (it returns once the experiments it
// runs have ended); with --kill, those are ended now too (recorded as failed, killed). No runner: nothing to do.
import { writeFileAtomic } from "../../fsx/atomic.js";
import type { LockInfo } from "../lock.js";
import { killEntries, runnerHolder } from "../queue/control.js";
import { localExecutor } from "../queue/local-executor.js";
import { listEntries, stopFile } from "../queue/store.js";
import type { Repo } from "../repo.js";

export interface QueueStopResult {
  runner: LockInfo | null;
  killed: string[];
}

export async function queueStopOp(repo: Repo, opts: { kill?: boolean }): Promise<QueueStopResult> {
  const runner = await runnerHolder(repo);
  if (runner === null) return { runner, killed: [] };
  await writeFileAtomic(stopFile(repo), `${process.pid}\n`);
  if (!opts.kill) return { runner, killed: [] };
  const running = (await listEntries(repo)).filter((e) => e.state.status === "running");
  await killEntries(repo, localExecutor(), running);
  return { runner, killed: running.map((e) => e.task.name) };
}
