// dvx queue logs NAME: the output of a queued experiment's run (its worker's stdout and stderr, kept after it ends).
import { open } from "node:fs/promises";
import { errCode } from "../../fsx/atomic.js";
import { runnerHolder } from "../queue/control.js";
import { listEntries, logFile, resolveEntries, type QueueStatus } from "../queue/store.js";
import type { Repo } from "../repo.js";

export interface QueueLogChunk {
  name: string;
  status: QueueStatus;
  /** The log's bytes from `from` on (empty when it has not started). */
  text: string;
  /** Where the next read starts. */
  next: number;
  /** Whether a runner is running the queue (a queued entry may still start). */
  runner: boolean;
}

export async function queueLogsOp(repo: Repo, opts: { name: string; from?: number }): Promise<QueueLogChunk> {
  const [entry] = resolveEntries(await listEntries(repo), [opts.name]);
  const from = opts.from ?? 0;
  let text = "";
  let next = from;
  try {
    const fh = await open(logFile(entry!.dir), "r");
    try {
      const size = (await fh.stat()).size;
      const buf = Buffer.alloc(Math.max(0, size - from));
      await fh.read(buf, 0, buf.length, from);
      text = buf.toString("utf8");
      next = size;
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (errCode(e) !== "ENOENT") throw e;
  }
  const runner = (await runnerHolder(repo)) !== null;
  return { name: entry!.task.name, status: entry!.state.status, text, next, runner };
}
