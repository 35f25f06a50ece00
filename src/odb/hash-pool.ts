// Hashes (and stores) many small files on all cores: the list is split between worker threads.
// Used for large directories; small batches stay on the main thread (a worker costs ~30 ms to start).
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { DiskFullError, FileChangedError } from "../errors.js";
import type { HashJob, HashWorkerMessage } from "./hash-worker.js";
import type { HashName } from "./types.js";

const WORKER_URL = new URL("./hash-worker.js", import.meta.url);

/** Workers run compiled JS: under a TS test runner (src/*.ts) this returns false and callers stay inline. */
export const workersAvailable = (): boolean => existsSync(WORKER_URL);

export interface PoolFile {
  abs: string;
  /** Shown in errors (repo-relative). */
  rel: string;
  size: number;
}

export async function hashInWorkers(
  files: PoolFile[],
  opts: { cacheRoot: string; name: HashName; store: boolean; workers?: number; onProgress?: (n: number, bytes: number) => void },
): Promise<string[]> {
  const n = Math.max(1, Math.min(opts.workers ?? availableParallelism(), 8, Math.ceil(files.length / 1000)));
  const per = Math.ceil(files.length / n);
  const slices = Array.from({ length: n }, (_, k) => files.slice(k * per, (k + 1) * per));
  const results = await Promise.all(
    slices.map(
      (slice) =>
        new Promise<string[]>((resolve, reject) => {
          const job: HashJob = { files: slice.map((f) => ({ abs: f.abs, size: f.size })), cacheRoot: opts.cacheRoot, name: opts.name, store: opts.store };
          const w = new Worker(WORKER_URL, { workerData: job });
          w.on("message", (m: HashWorkerMessage) => {
            if (m.kind === "progress") opts.onProgress?.(m.done, m.bytes);
            else {
              void w.terminate();
              const first = m.errors[0];
              if (!first) return resolve(m.values);
              const f = slice[first.index]!;
              if (first.code === "FILE_CHANGED") return reject(new FileChangedError(f.rel));
              if (first.code === "ENOSPC") return reject(new DiskFullError(opts.cacheRoot, first.message));
              reject(Object.assign(new Error(first.message), { code: first.code, path: f.rel }));
            }
          });
          w.on("error", reject);
        }),
    ),
  );
  return results.flat();
}
