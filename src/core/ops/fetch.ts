// dvx fetch: download into the cache the objects the workspace (and -a/-T revisions) need.
// Directory manifests come first (to learn their files), every object is verified before it is kept.
import { TransferError } from "../../errors.js";
import type { HashInfo } from "../../odb/types.js";
import { acquireLock } from "../lock.js";
import type { Repo } from "../repo.js";
import { openRemoteFor, type RemoteSession } from "../remote-session.js";
import { downloadObjects, type TransferFailure } from "../transfer.js";
import { transferScope, type RemoteCommandOptions } from "../transfer-scope.js";
import type { Output } from "../../tracking/output.js";

export interface FetchOptions extends RemoteCommandOptions {
  lockTimeoutMs: number;
  /** Held by the caller (pull). */
  noLock?: boolean;
}

export interface FetchResult {
  remote: string;
  fetched: number;
  bytes: number;
  failed: TransferFailure[];
  warnings: string[];
  /** The outputs in scope (pull checks them out). */
  outputs: Output[];
}

export async function fetchWith(repo: Repo, session: RemoteSession, opts: FetchOptions): Promise<FetchResult> {
  const scope = await transferScope(repo, { ...opts, remoteName: session.name, forPush: false });
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
  const used = dirs.length > 0 ? (await transferScope(repo, { ...opts, remoteName: session.name, forPush: false })).used : scope.used;
  const need: HashInfo[] = [...used.objects.values()].filter((h) => !h.value.endsWith(".dir") && !repo.odb.has(h));
  const r = await downloadObjects(repo, session.store, need, session.jobs);
  fetched += r.done.length;
  bytes += r.bytes;
  failed.push(...r.failed);
  const result: FetchResult = { remote: session.name, fetched, bytes, failed, warnings, outputs: scope.outputs };
  if (failed.length > 0) {
    throw Object.assign(new TransferError("download", failed.map((f) => f.oid), need.length + dirs.length, failed[0]?.error), { result });
  }
  return result;
}

export async function fetchOp(repo: Repo, opts: FetchOptions): Promise<FetchResult> {
  const lock = opts.noLock ? undefined : await acquireLock(repo.tmpDir, "dvx fetch", opts.lockTimeoutMs);
  let session: RemoteSession | undefined;
  try {
    session = await openRemoteFor(repo, opts.remote, opts.jobs);
    return await fetchWith(repo, session, opts);
  } finally {
    await session?.store.close();
    await lock?.release();
  }
}
