// dvx push: upload the objects the workspace (and -a/-T revisions) need that the remote lacks.
import { TransferError } from "../../errors.js";
import type { HashInfo } from "../../odb/types.js";
import { withLock } from "../lock.js";
import { localRunCacheKeys, pushRunCache, runCacheOutputs } from "../pipeline/run-cache-sync.js";
import type { Repo } from "../repo.js";
import { remotePresence } from "../data/remote-presence.js";
import { openRemoteFor } from "../remote-session.js";
import { remoteVerifier, uploadObjects, type TransferFailure } from "../data/transfer.js";
import { transferScope, type RemoteCommandOptions } from "../data/transfer-scope.js";
import { hashId } from "../data/used-objects.js";

export type PushOptions = RemoteCommandOptions;

export interface PushResult {
  remote: string;
  pushed: number;
  bytes: number;
  /** Objects the remote already had. */
  upToDate: number;
  /** Objects that are neither in the cache nor in the remote. */
  missingLocally: string[];
  failed: TransferFailure[];
  warnings: string[];
  /** Run-cache entries uploaded (with --run-cache). */
  runCache?: number;
}

export async function pushOp(repo: Repo, opts: PushOptions): Promise<PushResult> {
  return withLock(repo, "dvx push", async () => {
    let session: Awaited<ReturnType<typeof openRemoteFor>> | undefined;
    try {
      session = await openRemoteFor(repo, opts.remote, opts.jobs);
      const runCacheKeys = opts.runCache ? await localRunCacheKeys(repo) : [];
      const extraOutputs = opts.runCache ? await runCacheOutputs(repo, runCacheKeys) : [];
      const scope = await transferScope(repo, { ...opts, remoteName: session.name, forPush: true, extraOutputs });
      const { used } = scope;
      const warnings = [...scope.warnings];
      for (const d of used.unknownDirs)
        warnings.push(`directory object ${d.value} is not in the cache; its files cannot be pushed`);
      const presence = await remotePresence(
        session.store,
        used,
        session.jobs,
        repo.reporter,
        !session.store.url.startsWith("s3://"),
        remoteVerifier(repo, session.store),
      );
      const toSend: HashInfo[] = [];
      const missingLocally: string[] = [];
      for (const h of used.objects.values()) {
        if (presence.present.has(hashId(h))) continue;
        if (repo.odb.has(h)) toSend.push(h);
        else missingLocally.push(h.value);
      }
      // a directory with a file that cannot be uploaded must not get its .dir (it would vouch for it)
      const blocked = new Set(missingLocally);
      const isBlocked = (h: HashInfo): boolean =>
        h.value.endsWith(".dir") &&
        (used.dirs.get(hashId(h)) ?? []).some((k) => blocked.has(k.slice(k.indexOf(":") + 1)));
      const sendable = toSend.filter((h) => !isBlocked(h));
      for (const h of toSend)
        if (isBlocked(h))
          warnings.push(`directory ${h.value} is not pushed: some of its files are missing from the cache`);
      const res = await uploadObjects(repo, session.store, sendable, used.dirs, session.jobs);
      const result: PushResult = {
        remote: session.name,
        pushed: res.done.length,
        bytes: res.bytes,
        upToDate: used.objects.size - toSend.length - missingLocally.length,
        missingLocally,
        failed: res.failed,
        warnings,
        ...(opts.runCache ? { runCache: 0 } : {}),
      };
      if (res.failed.length > 0) {
        throw Object.assign(
          new TransferError(
            "upload",
            res.failed.map((f) => f.oid),
            sendable.length,
            res.failed[0]?.error,
          ),
          { result },
        );
      }
      // entries last: one on the remote vouches that the objects it records are there too
      if (opts.runCache) result.runCache = await pushRunCache(repo, session.store, session.jobs);
      return result;
    } finally {
      await session?.store.close();
    }
  });
}
