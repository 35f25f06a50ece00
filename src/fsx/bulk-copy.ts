// Copies many files with worker threads (see copy-worker.ts). Items are split into contiguous runs of
// the order given, so callers that sort by destination give each worker its own directories.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { CopyJob, CopyMessage } from "./copy-worker.js";

const WORKER_URL = new URL("./copy-worker.js", import.meta.url);

/** Workers run compiled JS: under a TS test runner (src/*.ts) callers fall back to their own loop. */
export const bulkCopyAvailable = (): boolean => existsSync(WORKER_URL);

export interface CopyItem {
  src: string;
  dest: string;
  mode: number;
}

export interface CopyFailure {
  /** Index into the items given. */
  index: number;
  code?: string;
  message: string;
}

export async function bulkCopy(items: CopyItem[], opts: { tmpDir?: string; clone?: boolean; onProgress?: (n: number, bytes: number) => void } = {}): Promise<{ bytes: number; errors: CopyFailure[] }> {
  const workers = Math.max(1, Math.min(availableParallelism(), 4, Math.ceil(items.length / 1000)));
  const per = Math.ceil(items.length / workers);
  const runs = Array.from({ length: workers }, (_, k) => ({ start: k * per, items: items.slice(k * per, (k + 1) * per) })).filter((r) => r.items.length > 0);
  let bytes = 0;
  const errors: CopyFailure[] = [];
  await Promise.all(
    runs.map(
      (run) =>
        new Promise<void>((resolve, reject) => {
          const job: CopyJob = { items: run.items, ...(opts.tmpDir ? { tmpDir: opts.tmpDir } : {}), ...(opts.clone ? { clone: true } : {}) };
          const w = new Worker(WORKER_URL, { workerData: job });
          w.on("message", (m: CopyMessage) => {
            if (m.kind === "progress") return opts.onProgress?.(m.done, m.bytes);
            void w.terminate();
            bytes += m.bytes;
            for (const e of m.errors) errors.push({ ...e, index: run.start + e.index });
            resolve();
          });
          w.on("error", reject);
        }),
    ),
  );
  return { bytes, errors: errors.sort((a, b) => a.index - b.index) };
}
