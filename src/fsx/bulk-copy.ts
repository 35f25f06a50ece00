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

/** A worker line: exactly two tabs (src, dest, mode) and no newline. Paths with a tab or newline cannot go
 * into the worker's line list: bulkCopy copies those itself. */
const SAFE_LINE = /^[^\t\n]*\t[^\t\n]*\t[0-7]+$/;

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

export async function bulkCopy(
  items: CopyItem[],
  opts: { tmpDir?: string; clone?: boolean; onProgress?: (n: number, bytes: number) => void } = {},
): Promise<{ bytes: number; errors: CopyFailure[] }> {
  const workers = Math.max(1, Math.min(availableParallelism(), 4, Math.ceil(items.length / 1000)));
  const per = Math.ceil(items.length / workers);
  const runs = Array.from({ length: workers }, (_, k) => ({
    start: k * per,
    items: items.slice(k * per, (k + 1) * per),
  })).filter((r) => r.items.length > 0);
  let bytes = 0;
  const errors: CopyFailure[] = [];
  // one test per item on the joined line (cheaper than testing each part: the parts get flattened anyway)
  const lines = items.map((it) => `${it.src}\t${it.dest}\t${it.mode.toString(8)}`);
  const odd: number[] = [];
  lines.forEach((line, i) => {
    if (!SAFE_LINE.test(line)) {
      odd.push(i);
      lines[i] = "";
    }
  });
  for (const i of odd) {
    try {
      bytes += copyHere(items[i]!, opts.tmpDir, opts.clone === true);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      errors.push({ index: i, ...(e.code ? { code: e.code } : {}), message: e.message });
    }
  }
  await Promise.all(
    runs.map(
      (run) =>
        new Promise<void>((resolve, reject) => {
          const list = lines.slice(run.start, run.start + run.items.length).join("\n");
          const job: CopyJob = {
            list,
            ...(opts.tmpDir ? { tmpDir: opts.tmpDir } : {}),
            ...(opts.clone ? { clone: true } : {}),
          };
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
