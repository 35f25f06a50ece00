// Moves objects between the local cache and a remote, concurrently, with a progress line.
// Uploads: files first, each .dir only after all of its files made it. Downloads: verified (hash of
// the received bytes) before they enter the cache; a mismatch is a corrupt remote object, never kept.
import { promises as fs } from "node:fs";
import { AppError, CorruptObjectError } from "../../errors.js";
import { CopySink } from "../../fsx/copy-sink.js";
import { Hasher, hashFileStream } from "../../odb/hash.js";
import { objectKey } from "../../odb/local-odb.js";
import type { HashInfo, HashName } from "../../odb/types.js";
import type { DataTap, RemoteStore } from "../../remote/types.js";
import { forceGcIfHeapLarge } from "../../util/force-gc.js";
import { runPoolSettled } from "../../util/pool.js";
import type { Repo } from "../repo.js";
import { hashId } from "./used-objects.js";

export interface TransferFailure {
  oid: string;
  error: string;
  code?: string;
}

export interface TransferOutcome {
  done: string[];
  failed: TransferFailure[];
  bytes: number;
}

/** Failures that doom every other request too (credentials, bucket, endpoint): stop and report them as such. */
const SYSTEMIC = new Set([
  "REMOTE_AUTH",
  "REMOTE_BUCKET_MISSING",
  "REMOTE_UNREACHABLE",
  "REMOTE_PERMISSION",
  "REMOTE_DISK_FULL",
  "REMOTE_READ_ONLY",
  "DISK_FULL",
]);

/** Transfers between two heap checks (see util/heap.ts). */
const HEAP_CHECK_EVERY = 1000;
/** Objects per putMany call (bulk uploads to a directory remote). */
const BULK_SLICE = 20_000;

/** Runs transfer tasks; the first systemic error stops new work and is rethrown as it is. */
async function runTransfers(
  count: number,
  jobs: number,
  task: (i: number) => Promise<void>,
): Promise<Array<{ index: number; error: unknown }>> {
  let fatal: unknown;
  const errs = await runPoolSettled(count, jobs, async (i) => {
    if (fatal !== undefined) return;
    if (i % HEAP_CHECK_EVERY === 0) forceGcIfHeapLarge();
    try {
      await task(i);
    } catch (err) {
      if (err instanceof AppError && SYSTEMIC.has(err.code)) fatal ??= err;
      throw err;
    }
  });
  if (fatal !== undefined) throw fatal;
  return errs;
}

const failureOf = (oid: string, err: unknown): TransferFailure => ({
  oid,
  error: err instanceof Error ? err.message : String(err),
  ...((err as { code?: unknown })?.code && typeof (err as { code?: unknown }).code === "string"
    ? { code: (err as { code: string }).code }
    : {}),
});

/**
 * Uploads `objs` (all present in the local cache). `dirFiles` maps a .dir hashId to its files' objKeys:
 * a .dir is uploaded only when none of its files failed.
 */
export async function uploadObjects(
  repo: Repo,
  store: RemoteStore,
  objs: HashInfo[],
  dirFiles: Map<string, string[]>,
  jobs: number,
  label = "push",
): Promise<TransferOutcome> {
  const files = objs.filter((h) => !h.value.endsWith(".dir"));
  const dirs = objs.filter((h) => h.value.endsWith(".dir"));
  const out: TransferOutcome = { done: [], failed: [], bytes: 0 };
  const progress = repo.reporter.progress(label, objs.length, "files");
  const put = async (h: HashInfo): Promise<void> => {
    const path = repo.odb.path(h);
    const { size } = await fs.stat(path);
    await store.put(objectKey(h), path, size);
    out.done.push(h.value);
    out.bytes += size;
    progress.advance(1, size);
  };
  let errs: Array<{ index: number; error: unknown }>;
  if (store.putMany && files.length >= 1000) {
    // a store with a bulk path (local directory): per-object failures reported back. In slices, so the
    // per-object paths and work lists of 100k objects are never all in memory at once.
    errs = [];
    for (let start = 0; start < files.length; start += BULK_SLICE) {
      const slice = files.slice(start, start + BULK_SLICE);
      const bulk = await store.putMany(
        slice.map((h) => ({ key: objectKey(h), localPath: repo.odb.path(h) })),
        (n) => progress.advance(n),
      );
      out.bytes += bulk.bytes;
      const failedSet = new Set(bulk.errors.map((e) => e.index));
      slice.forEach((h, i) => {
        if (!failedSet.has(i)) out.done.push(h.value);
      });
      for (const e of bulk.errors) errs.push({ index: start + e.index, error: e.error });
      const fatal = bulk.errors.find((e) => e.error instanceof AppError && SYSTEMIC.has(e.error.code));
      if (fatal) throw fatal.error;
    }
  } else errs = await runTransfers(files.length, jobs, (i) => put(files[i]!));
  const failedKeys = new Set<string>();
  for (const e of errs) {
    out.failed.push(failureOf(files[e.index]!.value, e.error));
    failedKeys.add(hashId(files[e.index]!));
  }
  const ready = dirs.filter((d) => {
    const bad = (dirFiles.get(hashId(d)) ?? []).some((k) => failedKeys.has(k));
    if (bad) out.failed.push({ oid: d.value, error: "not uploaded because some of its files failed" });
    return !bad;
  });
  const dirErrs = await runTransfers(ready.length, jobs, (i) => put(ready[i]!));
  for (const e of dirErrs) out.failed.push(failureOf(ready[e.index]!.value, e.error));
  progress.done();
  return out;
}

/** Hashes a download as it arrives (and hands the bytes to `copy`); a retried attempt starts over. */
class HashTap implements DataTap {
  private h: Hasher | undefined;
  private n = 0;
  used = false;

  constructor(
    private readonly algo: HashName,
    private readonly copy?: CopySink,
  ) {}

  reset(): void {
    this.used = true;
    this.h = new Hasher(this.algo);
    this.n = 0;
    this.copy?.reset();
  }

  update(chunk: Uint8Array): void {
    // the legacy hasher keeps pending chunks: give it its own copy
    this.h!.update(this.algo === "md5" ? chunk : Buffer.from(chunk));
    this.n += chunk.length;
    this.copy?.write(chunk);
  }

  result(): { value: string; size: number } {
    return { value: this.h!.digest(), size: this.n };
  }
}

/** A RemoteVerifier: downloads the object to a temp file in the cache and compares its hash with its name. */
export function remoteVerifier(repo: Repo, store: RemoteStore): (h: HashInfo) => Promise<boolean> {
  return async (h) => {
    const tmp = repo.odb.tmpPath();
    try {
      await store.get(objectKey(h), tmp);
      const isDir = h.value.endsWith(".dir");
      const got = await hashFileStream(tmp, isDir ? "md5" : h.name);
      return got.value === (isDir ? h.value.slice(0, -4) : h.value);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  };
}

export interface DownloadOutcome extends TransferOutcome {
  /** Verified second copies written during the download (see `copies`), by object value. */
  prepared: Map<string, string>;
}

/**
 * Downloads into the cache through a temp file, verifying each object's hash first. `copies` asks for a
 * second copy of some objects (object value → path), written as the bytes arrive: kept only when the store
 * streamed the object through the tap and the hash matched, else deleted.
 */
export async function downloadObjects(
  repo: Repo,
  store: RemoteStore,
  objs: HashInfo[],
  jobs: number,
  label = "fetch",
  copies?: Map<string, string>,
): Promise<DownloadOutcome> {
  const out: DownloadOutcome = { done: [], failed: [], bytes: 0, prepared: new Map() };
  const progress = repo.reporter.progress(label, objs.length, "files");
  const errs = await runTransfers(objs.length, jobs, async (i) => {
    const h = objs[i]!;
    const tmp = repo.odb.tmpPath();
    const copyPath = copies?.get(h.value);
    const copy = copyPath === undefined ? undefined : new CopySink(copyPath);
    try {
      const isDir = h.value.endsWith(".dir");
      const tap = new HashTap(isDir ? "md5" : h.name, copy);
      await store.get(objectKey(h), tmp, undefined, tap);
      // stores that stream through the tap are hashed on the way in; the others are read back
      const got = tap.used ? tap.result() : await hashFileStream(tmp, isDir ? "md5" : h.name);
      const want = isDir ? h.value.slice(0, -4) : h.value;
      if (got.value !== want) throw new CorruptObjectError(h.value, got.value, "remote", objectKey(h));
      await repo.odb.adopt(tmp, h);
      if (copy && (await copy.finish(got.size))) out.prepared.set(h.value, copy.path);
      out.done.push(h.value);
      out.bytes += got.size;
      progress.advance(1, got.size);
    } catch (err) {
      await copy?.abandon();
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }).catch(async (err: unknown) => {
    // a systemic failure ends the whole transfer: the copies made so far are of no use to anyone
    await Promise.all([...out.prepared.values()].map((p) => fs.rm(p, { force: true })));
    throw err;
  });
  for (const e of errs) out.failed.push(failureOf(objs[e.index]!.value, e.error));
  progress.done();
  return out;
}
