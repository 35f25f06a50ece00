// The run cache, DVC's layout (docs/formats.md §9.6): `<cache>/runs/<key[0:2]>/<key>/<value>`, each file a
// stage's lock entry. A stage whose command, deps and params were seen before is restored from the newest
// entry of its key instead of running, if every output object is in the cache.
import { existsSync, mkdirSync, promises as fs, readdirSync } from "node:fs";
import { join } from "node:path";
import { errCode, writeFileAtomicSync } from "../../fsx/atomic.js";
import { runCacheKey, runCacheValue, type LockEntryData } from "../../pipeline/lock-entry.js";
import { dumpYaml } from "../../util/yaml-dump.js";
import { parseYaml } from "../../util/yaml.js";
import type { Repo } from "../repo.js";

export const runsDir = (repo: Repo): string => join(repo.odb.root, "runs");

const HEX64 = /^[0-9a-f]{64}$/;

/** A run-cache file's entry if it has the lock-entry shape (DVC deletes files that do not). */
function valid(data: unknown): data is LockEntryData {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  const cmdOk = typeof d.cmd === "string" || (Array.isArray(d.cmd) && d.cmd.every((c) => typeof c === "string"));
  const items = (v: unknown): boolean =>
    v === undefined ||
    (Array.isArray(v) &&
      v.every((i) => i !== null && typeof i === "object" && typeof (i as { path?: unknown }).path === "string"));
  return cmdOk && items(d.deps) && items(d.outs) && Array.isArray(d.outs) && d.outs.length > 0;
}

/** The newest valid entry recorded under the key of `probe` (the stage's current lock entry), or null. */
export async function loadRunCacheEntry(repo: Repo, probe: LockEntryData): Promise<LockEntryData | null> {
  const key = runCacheKey(probe);
  const dir = join(runsDir(repo), key.slice(0, 2), key);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => HEX64.test(n)); // usually absent: one syscall, no thread-pool trip
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return null;
    throw err;
  }
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(join(dir, n))).mtimeMs })));
  for (const { n } of dated.sort((a, b) => b.t - a.t)) {
    const file = join(dir, n);
    let data: unknown;
    try {
      data = parseYaml(await fs.readFile(file, "utf8"), file, { keepFloats: true });
    } catch {
      data = undefined; // unparsable: treated like an invalid entry below
    }
    if (valid(data)) return data;
    await fs.rm(file, { force: true }); // as DVC: an entry that fails validation is removed
  }
  return null;
}

/** Saves `entry` under its key and value (no-op when that file exists); not read-only, like DVC. */
export async function saveRunCacheEntry(repo: Repo, entry: LockEntryData): Promise<string> {
  const key = runCacheKey(entry);
  const dir = join(runsDir(repo), key.slice(0, 2), key);
  const file = join(dir, runCacheValue(entry));
  // synchronous calls: a few microseconds each, where a thread-pool round trip costs 0.1-0.3 ms per stage
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(file, dumpYaml(entry));
  return file;
}
