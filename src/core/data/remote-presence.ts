// Which objects does a remote already have? Per-object checks for small sets, a (parallel, paginated)
// listing for large ones, chosen by estimated request count as DVC does (docs/formats.md §7.3). A `.dir` object's
// presence vouches for all of its files (they are always uploaded first).
import type { HashInfo } from "../../odb/types.js";
import { objectKey } from "../../odb/local-odb.js";
import type { RemoteStore } from "../../remote/types.js";
import { runPool } from "../../util/pool.js";
import type { Reporter } from "../reporter.js";
import { hashId, type UsedObjects } from "./used-objects.js";

const HEX = "0123456789abcdef";

/** Counts keys under one 3-hex-char prefix and scales it up: an estimate of the remote's object count. */
async function estimateRemoteSize(store: RemoteStore): Promise<number> {
  let n = 0;
  for await (const _k of store.list("files/md5/00/0")) n++;
  return Math.max(n, 1) * 4096;
}

/** Every key under the DVC 3 tree (and the legacy fan-out dirs when asked), 16 listings in parallel. */
export async function listAllKeys(store: RemoteStore, legacy: boolean): Promise<Set<string>> {
  const keys = new Set<string>();
  const prefixes = [...HEX].map((c) => `files/md5/${c}`);
  if (legacy) for (const a of HEX) for (const b of HEX) prefixes.push(`${a}${b}/`);
  await runPool(prefixes.length, 16, async (i) => {
    for await (const k of store.list(prefixes[i]!)) keys.add(k);
  });
  return keys;
}

export interface Presence {
  /** hashId()s of objects the remote has (or is vouched for by its .dir). */
  present: Set<string>;
  method: "exists" | "list";
}

/** Re-hashes a remote object (downloaded to a temp file); true when its content matches its name. */
export type RemoteVerifier = (h: HashInfo) => Promise<boolean>;

/** exists(), and for stores that say an object is untrusted (local, not 0444): verify, delete if corrupt. */
async function existsVerified(store: RemoteStore, h: HashInfo, verify: RemoteVerifier | undefined): Promise<boolean> {
  const key = objectKey(h);
  if (verify && store.trusted && (await store.trusted(key))) return true; // present and protected: one stat
  if (!(await store.exists(key))) return false;
  if (!verify || !store.trusted) return true;
  if (await verify(h)) return true;
  await store.delete([key]); // DVC's rule: an unprotected object that does not match its name is removed
  return false;
}

export async function remotePresence(
  store: RemoteStore,
  used: UsedObjects,
  jobs: number,
  reporter: Reporter,
  isLocal: boolean,
  verify?: RemoteVerifier,
): Promise<Presence> {
  const present = new Set<string>();
  const dirs = [...used.objects.values()].filter((h) => h.value.endsWith(".dir"));
  await runPool(dirs.length, jobs, async (i) => {
    const d = dirs[i]!;
    if (await existsVerified(store, d, verify)) {
      present.add(hashId(d));
      for (const f of used.dirs.get(hashId(d)) ?? []) present.add(f);
    }
  });
  const rest: HashInfo[] = [...used.objects.values()].filter((h) => !present.has(hashId(h)));
  if (rest.length === 0) return { present, method: "exists" };
  if (store.statMany && rest.length > 1) {
    // a local directory: one synchronous stat per object beats a thread-pool round trip each
    const seen = await store.statMany(rest.map(objectKey));
    for (const h of rest) {
      const trusted = seen.get(objectKey(h));
      if (trusted === undefined) continue;
      if (trusted || (await existsVerified(store, h, verify))) present.add(hashId(h));
    }
    return { present, method: "exists" };
  }
  let useList = false;
  if (!isLocal && rest.length > 1) {
    const size = await estimateRemoteSize(store);
    const pages = size / 1000;
    const weight = size > 500_000 ? pages * 5 : pages;
    useList = rest.length >= weight;
    reporter.debug(
      `remote holds ~${size} objects; ${rest.length} to check → ${useList ? "listing" : "per-object checks"}`,
    );
  }
  if (useList) {
    const keys = await listAllKeys(
      store,
      rest.some((h) => h.name !== "md5"),
    );
    for (const h of rest) if (keys.has(objectKey(h))) present.add(hashId(h));
    return { present, method: "list" };
  }
  const progress = reporter.progress("checking remote", rest.length, "objects");
  await runPool(rest.length, jobs, async (i) => {
    const h = rest[i]!;
    if (await existsVerified(store, h, verify)) present.add(hashId(h));
    progress.advance(1);
  });
  progress.done();
  return { present, method: "exists" };
}
