// Worker thread body for LocalRemote.putMany: copies objects into a directory remote with synchronous
// I/O (temp file + chmod 0444 + rename), items sorted by key so each worker fills its own fan-out dirs.
import { chmodSync, copyFileSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

export interface BulkPutJob {
  items: Array<{ src: string; dest: string }>;
}

export type BulkPutMessage =
  | { kind: "progress"; done: number }
  | { kind: "done"; bytes: number; errors: Array<{ index: number; code?: string; message: string }> };

function run(job: BulkPutJob): void {
  const errors: Array<{ index: number; code?: string; message: string }> = [];
  const made = new Set<string>();
  const tag = randomBytes(4).toString("hex"); // + 8 hex digits of the index: the 16-hex temp suffix list() skips
  let done = 0;
  let bytes = 0;
  job.items.forEach((it, i) => {
    const tmp = `${it.dest}.${tag}${i.toString(16).padStart(8, "0")}.tmp`;
    try {
      const dir = dirname(it.dest);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      bytes += statSync(it.src).size;
      copyFileSync(it.src, tmp);
      chmodSync(tmp, 0o444);
      renameSync(tmp, it.dest);
    } catch (err) {
      rmSync(tmp, { force: true });
      const e = err as NodeJS.ErrnoException;
      errors.push({ index: i, ...(e.code ? { code: e.code } : {}), message: e.message });
    }
    if (++done === 500) {
      parentPort!.postMessage({ kind: "progress", done } satisfies BulkPutMessage);
      done = 0;
    }
  });
  parentPort!.postMessage({ kind: "progress", done } satisfies BulkPutMessage);
  parentPort!.postMessage({ kind: "done", bytes, errors } satisfies BulkPutMessage);
}

if (parentPort && workerData) run(workerData as BulkPutJob);
