// Worker thread body for large directories, two kinds of job:
// - "hash": read and hash a slice of small files;
// - "store": write objects into the cache, in object order (one fan-out directory after another, each
//   worker owning its own range of directories), re-reading each file and checking it still has the hash.
// Everything is synchronous: the workers themselves are the parallelism, and thread-pool hand-offs cost
// more than the I/O for small files. Objects are written as temp file + rename, mode 0444.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { hashBuffer } from "./hash.js";
import type { HashName } from "./types.js";

export interface HashJob {
  kind: "hash" | "store";
  /** For "store", `oid` is the hash found by the "hash" pass. */
  files: Array<{ abs: string; size: number; oid?: string }>;
  cacheRoot: string;
  name: HashName;
}

export interface WorkerError {
  index: number;
  code?: string;
  message: string;
}

export type HashWorkerMessage =
  { kind: "progress"; done: number; bytes: number } | { kind: "done"; values: string[]; errors: WorkerError[] };

function readChecked(abs: string, size: number): Buffer {
  const data = readFileSync(abs);
  if (data.length !== size)
    throw Object.assign(new Error(`'${abs}' changed while it was being hashed`), { code: "FILE_CHANGED" });
  return data;
}

function run(job: HashJob): void {
  const values: string[] = new Array(job.files.length);
  const errors: WorkerError[] = [];
  const made = new Set<string>();
  const tag = randomBytes(6).toString("hex");
  const fan = job.name === "md5" ? `${job.cacheRoot}/files/md5` : job.cacheRoot;
  let done = 0;
  let bytes = 0;
  for (let i = 0; i < job.files.length; i++) {
    const f = job.files[i]!;
    try {
      const data = readChecked(f.abs, f.size);
      const value = hashBuffer(data, job.name);
      values[i] = value;
      if (job.kind === "store") {
        if (value !== f.oid)
          throw Object.assign(new Error(`'${f.abs}' changed while it was being added`), { code: "FILE_CHANGED" });
        const dir = `${fan}/${value.slice(0, 2)}`;
        const dest = `${dir}/${value.slice(2)}`;
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        // the caller sends only objects the cache lacks (it listed the cache), so no existence check here;
        // should another process have stored the same object meanwhile, the rename replaces it with equal bytes
        const tmp = `${dir}/.${tag}${i.toString(16).padStart(5, "0")}.tmp`;
        try {
          writeFileSync(tmp, data, { mode: 0o444, flag: "wx" });
          renameSync(tmp, dest);
        } catch (err) {
          rmSync(tmp, { force: true });
          throw err;
        }
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      errors.push({ index: i, ...(e.code ? { code: e.code } : {}), message: e.message });
    }
    done++;
    bytes += f.size;
    if (done === 500) {
      parentPort!.postMessage({ kind: "progress", done, bytes } satisfies HashWorkerMessage);
      done = 0;
      bytes = 0;
    }
  }
  parentPort!.postMessage({ kind: "progress", done, bytes } satisfies HashWorkerMessage);
  parentPort!.postMessage({ kind: "done", values, errors } satisfies HashWorkerMessage);
}

if (parentPort && workerData) run(workerData as HashJob);
