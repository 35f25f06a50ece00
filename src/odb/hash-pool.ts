// Hashes (and stores) many small files on all cores. Two passes over worker threads: hash every file,
// then write the missing objects sorted by name, each worker owning a contiguous range of fan-out
// directories (batched writes: one directory after another, no two writers in one directory).
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

export interface PoolOptions {
  cacheRoot: string;
  name: HashName;
  store: boolean;
  /** Is this object already in the cache? (store pass skips it) */
  has: (oid: string) => boolean;
  workers?: number;
  onProgress?: (n: number, bytes: number) => void;
}

function runJob(
  job: HashJob,
  slice: PoolFile[],
  cacheRoot: string,
  onProgress?: (n: number, b: number) => void,
): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: job });
    w.on("message", (m: HashWorkerMessage) => {
      if (m.kind === "progress") return onProgress?.(m.done, m.bytes);
      void w.terminate();
      const first = m.errors[0];
      if (!first) return resolve(m.values);
      const f = slice[first.index]!;
      if (first.code === "FILE_CHANGED") return reject(new FileChangedError(f.rel));
      if (first.code === "ENOSPC") return reject(new DiskFullError(cacheRoot, first.message));
      reject(Object.assign(new Error(first.message), { code: first.code, path: f.rel }));
    });
    w.on("error", reject);
  });
}

/** Splits sorted items into `n` contiguous runs, cutting only where the 2-hex fan-out prefix changes. */
export function splitByPrefix<T>(sorted: T[], n: number, key: (t: T) => string): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let k = 1; k <= n; k++) {
    let end = k === n ? sorted.length : Math.max(start, Math.round((sorted.length * k) / n));
    while (end > start && end < sorted.length && key(sorted[end]!).slice(0, 2) === key(sorted[end - 1]!).slice(0, 2))
      end++;
    out.push(sorted.slice(start, end));
    start = end;
  }
  return out.filter((s) => s.length > 0);
}

export async function hashInWorkers(files: PoolFile[], opts: PoolOptions): Promise<string[]> {
  const n = Math.max(1, Math.min(opts.workers ?? availableParallelism(), 8, Math.ceil(files.length / 1000)));
  const per = Math.ceil(files.length / n);
  const slices = Array.from({ length: n }, (_, k) => files.slice(k * per, (k + 1) * per)).filter((s) => s.length > 0);
  const hashProgress = opts.store ? undefined : opts.onProgress;
  const results = await Promise.all(
    slices.map((slice) =>
      runJob(
        {
          kind: "hash",
          files: slice.map((f) => ({ abs: f.abs, size: f.size })),
          cacheRoot: opts.cacheRoot,
          name: opts.name,
        },
        slice,
        opts.cacheRoot,
        hashProgress,
      ),
    ),
  );
  const values = results.flat();
  if (!opts.store) return values;
  // one file per missing object, in object order
  const seen = new Set<string>();
  const missing: Array<PoolFile & { oid: string }> = [];
  values.forEach((oid, i) => {
    if (seen.has(oid)) return;
    seen.add(oid);
    if (!opts.has(oid)) missing.push({ ...files[i]!, oid });
  });
  opts.onProgress?.(files.length - missing.length, 0);
  missing.sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0));
  const runs = splitByPrefix(missing, n, (m) => m.oid);
  await Promise.all(
    runs.map((run) =>
      runJob(
        {
          kind: "store",
          files: run.map((m) => ({ abs: m.abs, size: m.size, oid: m.oid })),
          cacheRoot: opts.cacheRoot,
          name: opts.name,
        },
        run,
        opts.cacheRoot,
        opts.onProgress,
      ),
    ),
  );
  return values;
}
