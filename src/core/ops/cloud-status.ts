// dvx status -c: which objects are only local ("new"), only remote ("deleted") or nowhere ("missing").
// Result shape = DVC's `status -c --json`: { "<path>": "new" | "deleted" | "missing" }.
import type { Repo } from "../repo.js";
import { remotePresence } from "../data/remote-presence.js";
import { remoteVerifier } from "../data/transfer.js";
import { openRemoteFor } from "../remote-session.js";
import { transferScope, type RemoteCommandOptions } from "../data/transfer-scope.js";
import { hashId } from "../data/used-objects.js";

export type CloudStatusOptions = RemoteCommandOptions;

export interface CloudStatusResult {
  remote: string;
  changes: Record<string, "new" | "deleted" | "missing">;
  warnings: string[];
}

export async function cloudStatusOp(repo: Repo, opts: CloudStatusOptions): Promise<CloudStatusResult> {
  const session = await openRemoteFor(repo, opts.remote, opts.jobs);
  try {
    const scope = await transferScope(repo, { ...opts, remoteName: session.name, forPush: false });
    const presence = await remotePresence(
      session.store,
      scope.used,
      session.jobs,
      repo.reporter,
      !session.store.url.startsWith("s3://"),
      remoteVerifier(repo, session.store),
    );
    // name each object by the path it has in the workspace, as DVC does
    const names = new Map<string, string>();
    for (const o of scope.outputs) {
      if (!o.hash) continue;
      names.set(hashId(o.hash), o.path);
      if (o.hash.value.endsWith(".dir") && repo.odb.has(o.hash)) {
        for (const e of await repo.odb.readTree(o.hash)) {
          const k = hashId({ name: o.hash.name, value: e.md5 });
          if (!names.has(k)) names.set(k, `${o.path}/${e.relpath}`);
        }
      }
    }
    const changes: CloudStatusResult["changes"] = {};
    for (const [k, h] of scope.used.objects) {
      const local = repo.odb.has(h);
      const remote = presence.present.has(k);
      if (local && remote) continue;
      changes[names.get(k) ?? h.value] = local ? "new" : remote ? "deleted" : "missing";
    }
    return { remote: session.name, changes, warnings: scope.warnings };
  } finally {
    await session.store.close();
  }
}
