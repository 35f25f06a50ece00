// dvx gc -c: delete remote objects that no revision in the scope needs. Needs every used directory's
// manifest (fetched from the remote when the cache lacks it); refuses to run without them.
import { ObjectMissingError } from "../../errors.js";
import { objectKey } from "../../odb/local-odb.js";
import type { Repo } from "../repo.js";
import { listAllKeys } from "../data/remote-presence.js";
import { openRemoteFor } from "../remote-session.js";
import { downloadObjects } from "../data/transfer.js";
import { scopeOutputs, scopeReaders, usedObjects, type RevScope } from "../data/used-objects.js";

export interface RemoteGcOptions extends RevScope {
  remote?: string;
  jobs?: number;
  dry?: boolean;
  confirm: (summary: { remove: number; keep: number }) => Promise<boolean>;
}

export interface RemoteGcResult {
  remote: string;
  removed: string[];
  kept: number;
  dry: boolean;
  aborted: boolean;
}

export async function remoteGcOp(repo: Repo, opts: RemoteGcOptions): Promise<RemoteGcResult> {
  const session = await openRemoteFor(repo, opts.remote, opts.jobs);
  try {
    const readers = await scopeReaders(repo, opts);
    const { outputs } = await scopeOutputs(repo, readers);
    let used = await usedObjects(repo, outputs);
    if (used.unknownDirs.length > 0) {
      await downloadObjects(repo, session.store, used.unknownDirs, session.jobs, "fetch (directories)");
      used = await usedObjects(repo, outputs);
      if (used.unknownDirs.length > 0) {
        throw new ObjectMissingError(
          used.unknownDirs.map((d) => d.value),
          "cache and the remote",
          "without these directory manifests dvx cannot tell which remote files are still used; nothing was deleted",
        );
      }
    }
    const keep = new Set([...used.objects.values()].map(objectKey));
    const all = await listAllKeys(session.store, true);
    const isObject = (k: string): boolean => /^(files\/md5\/)?[0-9a-f]{2}\/[0-9a-f]{30}(\.dir)?$/.test(k);
    const remove = [...all].filter((k) => isObject(k) && !keep.has(k)).sort();
    const result: RemoteGcResult = {
      remote: session.name,
      removed: remove,
      kept: all.size - remove.length,
      dry: opts.dry === true,
      aborted: false,
    };
    if (opts.dry || remove.length === 0) return result;
    if (!(await opts.confirm({ remove: remove.length, keep: result.kept })))
      return { ...result, removed: [], aborted: true };
    for (let i = 0; i < remove.length; i += 1000) await session.store.delete(remove.slice(i, i + 1000));
    return result;
  } finally {
    await session.store.close();
  }
}
