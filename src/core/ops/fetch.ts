// dvx fetch: download into the cache the objects the workspace (and -a/-T revisions) need.
// Directory manifests come first (to learn their files), every object is verified before it is kept.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { TransferError } from "../../errors.js";
import type { HashInfo } from "../../odb/types.js";
import { withLock } from "../lock.js";
import { pullRunCache, runCacheOutputs } from "../pipeline/run-cache-sync.js";
import type { Repo } from "../repo.js";
import { openRemoteFor, type RemoteSession } from "../remote-session.js";
import { downloadObjects, type TransferFailure } from "../data/transfer.js";
import { transferScope, type RemoteCommandOptions } from "../data/transfer-scope.js";
import { isDirOutput, type Output } from "../../tracking/output.js";

export interface FetchOptions extends RemoteCommandOptions {
  /** Held by the caller (pull). */
  noLock?: boolean;
  /**
   * Write the workspace copy of each file output (of at least PREPARE_MIN bytes) while its object downloads,
   * into .dvc/tmp (pull, when checkout will place copies): see FetchResult.prepared.
   */
  prepareCopies?: boolean;
}

/** Name prefix of those copies in .dvc/tmp. */
export const COPY_PREFIX = "copy-";

/** Smaller files are cheap to copy after the download. */
export const PREPARE_MIN = 1 << 20;

export interface FetchResult {
  remote: string;
  fetched: number;
  bytes: number;
  failed: TransferFailure[];
  warnings: string[];
  /** The outputs in scope (pull checks them out). */
  outputs: Output[];
  /** Verified copies written during the download (prepareCopies), by cache object path; the caller owns them. */
  prepared: Map<string, string>;
  /** Run-cache entries downloaded (with --run-cache). */
  runCache?: number;
}

/**
 * Copy paths in .dvc/tmp for the objects worth a copy written during their download: file outputs of at least
 * PREPARE_MIN bytes, and the files of directory outputs whose files are that large on average (manifests carry
 * no per-file sizes). Many small files are left to checkout's bulk copier.
 */
async function copiesToPrepare(repo: Repo, outputs: Output[], need: HashInfo[]): Promise<Map<string, string>> {
  const needed = new Set(need.map((h) => h.value));
  const copies = new Map<string, string>();
  const want = (value: string): void => {
    if (needed.has(value) && !copies.has(value))
      copies.set(value, join(repo.tmpDir, COPY_PREFIX + randomBytes(8).toString("hex")));
  };
  for (const o of outputs) {
    if (o.hash === undefined || (o.size ?? 0) < PREPARE_MIN) continue;
    if (!isDirOutput(o)) want(o.hash.value);
    else if (o.nfiles !== undefined && o.size! / Math.max(1, o.nfiles) >= PREPARE_MIN && repo.odb.has(o.hash)) {
      for (const e of await repo.odb.readTree(o.hash)) want(e.md5);
    }
  }
  return copies;
}

export async function fetchWith(repo: Repo, session: RemoteSession, opts: FetchOptions): Promise<FetchResult> {
  // run-cache entries first (DVC's order): the objects they record are fetched with the rest
  const newRuns = opts.runCache ? await pullRunCache(repo, session.store, session.jobs) : [];
  const extraOutputs = newRuns.length > 0 ? await runCacheOutputs(repo, newRuns) : [];
  const scopeOpts = { ...opts, remoteName: session.name, forPush: false, extraOutputs };
  const scope = await transferScope(repo, scopeOpts);
  const warnings = [...scope.warnings];
  const failed: TransferFailure[] = [];
  let fetched = 0;
  let bytes = 0;
  // 1. manifests we do not have yet
  const dirs = [...scope.used.objects.values()].filter((h) => h.value.endsWith(".dir") && !repo.odb.has(h));
  if (dirs.length > 0) {
    const r = await downloadObjects(repo, session.store, dirs, session.jobs, "fetch (directories)");
    fetched += r.done.length;
    bytes += r.bytes;
    failed.push(...r.failed);
  }
  // 2. with every manifest known, the full object set
  const used = dirs.length > 0 ? (await transferScope(repo, scopeOpts)).used : scope.used;
  const need: HashInfo[] = [...used.objects.values()].filter((h) => !h.value.endsWith(".dir") && !repo.odb.has(h));
  const copies = opts.prepareCopies ? await copiesToPrepare(repo, scope.outputs, need) : undefined;
  if (copies && copies.size > 0) await mkdir(repo.tmpDir, { recursive: true });
  const r = await downloadObjects(repo, session.store, need, session.jobs, "fetch", copies);
  fetched += r.done.length;
  bytes += r.bytes;
  failed.push(...r.failed);
  const prepared = new Map<string, string>();
  for (const h of need) {
    const path = r.prepared.get(h.value);
    if (path !== undefined) prepared.set(repo.odb.path(h), path);
  }
  const result: FetchResult = {
    remote: session.name,
    fetched,
    bytes,
    failed,
    warnings,
    outputs: scope.outputs,
    prepared,
    ...(opts.runCache ? { runCache: newRuns.length } : {}),
  };
  if (failed.length > 0) {
    throw Object.assign(
      new TransferError(
        "download",
        failed.map((f) => f.oid),
        need.length + dirs.length,
        failed[0]?.error,
      ),
      { result },
    );
  }
  return result;
}

export async function fetchOp(repo: Repo, opts: FetchOptions): Promise<FetchResult> {
  const run = async (): Promise<FetchResult> => {
    const session = await openRemoteFor(repo, opts.remote, opts.jobs);
    try {
      return await fetchWith(repo, session, opts);
    } finally {
      await session.store.close();
    }
  };
  return opts.noLock ? run() : withLock(repo, "dvx fetch", run);
}
