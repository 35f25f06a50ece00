// Copies many files with worker threads (see copy-worker.ts). Items are split into contiguous runs of
// the order given, so callers that sort by destination give each worker its own directories.
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
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

/** Paths with a tab or newline cannot go into the worker's line list: bulkCopy copies those itself. */
export const copyableName = (p: string): boolean => !p.includes("\t") && !p.includes("\n");

function copyHere(it: CopyItem, tmpDir: string | undefined, clone: boolean): number {
  const tag = randomBytes(8).toString("hex");
  const tmp = tmpDir ? `${tmpDir}/copy-${tag}.tmp` : `${it.dest}.${tag}.tmp`;
  try {
    mkdirSync(dirname(it.dest), { recursive: true });
    const size = statSync(it.src).size;
    copyFileSync(it.src, tmp, clone ? constants.COPYFILE_FICLONE : 0);
    chmodSync(tmp, it.mode);
    renameSync(tmp, it.dest);
    return size;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
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
  const odd = items.map((it, i) => (copyableName(it.src) && copyableName(it.dest) ? -1 : i)).filter((i) => i >= 0);
  for (const i of odd) {
    try {
      bytes += copyHere(items[i]!, opts.tmpDir, opts.clone === true);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      errors.push({ index: i, ...(e.code ? { code: e.code } : {}), message: e.message });
    }
  }
  const skip = new Set(odd);
  await Promise.all(
    runs.map(
      (run) =>
        new Promise<void>((resolve, reject) => {
          const list = run.items.map((it, k) => (skip.has(run.start + k) ? "" : `${it.src}\t${it.dest}\t${it.mode.toString(8)}`)).join("\n");
          const job: CopyJob = { list, ...(opts.tmpDir ? { tmpDir: opts.tmpDir } : {}), ...(opts.clone ? { clone: true } : {}) };
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
