// Worker thread body: hashes a slice of small files (one synchronous read each) and, when asked, stores
// each object in the cache (temp file + rename, mode 0444), writes overlapping through the thread pool.
import { existsSync, mkdirSync, readFileSync, rename, rm, writeFile } from "node:fs";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { parentPort, workerData } from "node:worker_threads";
import { hashBuffer } from "./hash.js";
import type { HashName } from "./types.js";

export interface HashJob {
  files: Array<{ abs: string; size: number }>;
  cacheRoot: string;
  name: HashName;
  store: boolean;
}

export type HashWorkerMessage =
  | { kind: "progress"; done: number; bytes: number }
  | { kind: "done"; values: string[]; errors: Array<{ index: number; code?: string; message: string }> };

const writeFileCb = promisify(writeFile);
const renameCb = promisify(rename);
const rmCb = promisify(rm);

async function run(job: HashJob): Promise<void> {
  const values: string[] = new Array(job.files.length);
  const errors: Array<{ index: number; code?: string; message: string }> = [];
  const made = new Set<string>();
  const pending = new Set<Promise<void>>();
  let done = 0;
  let bytes = 0;
  const fan = job.name === "md5" ? `${job.cacheRoot}/files/md5` : job.cacheRoot;
  for (let i = 0; i < job.files.length; i++) {
    const f = job.files[i]!;
    try {
      const data = readFileSync(f.abs);
      if (data.length !== f.size) throw Object.assign(new Error(`'${f.abs}' changed while it was being hashed`), { code: "FILE_CHANGED" });
      const value = hashBuffer(data, job.name);
      values[i] = value;
      if (job.store) {
        const dir = `${fan}/${value.slice(0, 2)}`;
        const dest = `${dir}/${value.slice(2)}`;
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        if (!existsSync(dest)) {
          const tmp = `${dir}/.${randomBytes(8).toString("hex")}.tmp`;
          const p: Promise<void> = writeFileCb(tmp, data, { mode: 0o444, flag: "wx" })
            .then(() => renameCb(tmp, dest))
            .catch(async (err: NodeJS.ErrnoException) => {
              await rmCb(tmp, { force: true });
              errors.push({ index: i, code: err.code, message: err.message });
            })
            .finally(() => pending.delete(p));
          pending.add(p);
          if (pending.size >= 16) await Promise.race(pending);
        }
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      errors.push({ index: i, code: e.code, message: e.message });
    }
    done++;
    bytes += f.size;
    if (done % 500 === 0) {
      parentPort!.postMessage({ kind: "progress", done, bytes } satisfies HashWorkerMessage);
      done = 0;
      bytes = 0;
    }
  }
  await Promise.all(pending);
  parentPort!.postMessage({ kind: "progress", done, bytes } satisfies HashWorkerMessage);
  parentPort!.postMessage({ kind: "done", values, errors } satisfies HashWorkerMessage);
}

if (parentPort && workerData) void run(workerData as HashJob);
