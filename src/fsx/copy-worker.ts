// Worker thread body for bulk copies (a directory remote's uploads, checkouts of large directories):
// each item is copied to a temp file, given its mode and renamed into place, all synchronously — the
// workers are the parallelism, and per-file thread-pool round trips cost more than the copies.
import { chmodSync, constants, copyFileSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

export interface CopyJob {
  /** One item per line, "src\tdest\tmode(octal)": one string is far cheaper to hand to a worker than objects. */
  list: string;
  /** Where temp files go (same filesystem as the destinations); beside each destination when unset. */
  tmpDir?: string;
  /** Try a copy-on-write clone first (falls back to a copy where the filesystem cannot). */
  clone?: boolean;
}

export type CopyMessage =
  | { kind: "progress"; done: number; bytes: number }
  | { kind: "done"; bytes: number; errors: Array<{ index: number; code?: string; message: string }> };

function run(job: CopyJob): void {
  const errors: Array<{ index: number; code?: string; message: string }> = [];
  const made = new Set<string>();
  const tag = randomBytes(4).toString("hex"); // + 8 hex digits of the index: a 16-hex ".tmp" suffix
  let done = 0;
  let bytes = 0;
  let chunk = 0;
  // one line per item, indexes kept: an empty line is an item the caller copies itself
  const items = job.list === "" ? [] : job.list.split("\n");
  items.forEach((line, i) => {
    if (line === "") return;
    const [src, dest, mode] = line.split("\t") as [string, string, string];
    const it = { src, dest, mode: parseInt(mode, 8) };
    const suffix = `${tag}${i.toString(16).padStart(8, "0")}.tmp`;
    const tmp = job.tmpDir ? `${job.tmpDir}/copy-${suffix}` : `${it.dest}.${suffix}`;
    try {
      const dir = dirname(it.dest);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const st = statSync(it.src);
      const size = st.size;
      copyFileSync(it.src, tmp, job.clone ? constants.COPYFILE_FICLONE : 0);
      // the copy has the source's mode (libuv fchmods it): a cache object (0444) needs no chmod
      if ((st.mode & 0o7777) !== it.mode) chmodSync(tmp, it.mode);
      renameSync(tmp, it.dest);
      bytes += size;
      chunk += size;
    } catch (err) {
      rmSync(tmp, { force: true });
      const e = err as NodeJS.ErrnoException;
      errors.push({ index: i, ...(e.code ? { code: e.code } : {}), message: e.message });
    }
    if (++done === 500) {
      parentPort!.postMessage({ kind: "progress", done, bytes: chunk } satisfies CopyMessage);
      done = 0;
      chunk = 0;
    }
  });
  parentPort!.postMessage({ kind: "progress", done, bytes: chunk } satisfies CopyMessage);
  parentPort!.postMessage({ kind: "done", bytes, errors } satisfies CopyMessage);
}

if (parentPort && workerData) run(workerData as CopyJob);
