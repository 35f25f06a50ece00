// Compares one output's recorded hash with the workspace and the cache (DVC's Output.status()).
import type { HashInfo, TreeEntry } from "../../odb/types.js";
import type { Output } from "../../tracking/output.js";
import type { Repo } from "../repo.js";
import { hashWorkspacePath, type HashedPath } from "./workspace-hash.js";

export type OutputStatus = "ok" | "deleted" | "modified" | "new" | "not in cache";

export interface OutputState {
  status: OutputStatus;
  /** The workspace hash (same algorithm as the record), null when absent. */
  current: HashedPath | null;
  /** Objects of the recorded version missing from the cache (oids). */
  missing: string[];
  /** Manifest entries of the recorded version (directory outputs whose .dir is cached). */
  recordedEntries?: TreeEntry[];
}

/** Which recorded objects are absent from the local cache (for a dir: the .dir and every file). */
export async function missingFromCache(
  repo: Repo,
  hash: HashInfo,
): Promise<{ missing: string[]; entries?: TreeEntry[] }> {
  if (!repo.odb.has(hash)) return { missing: [hash.value] };
  if (!hash.value.endsWith(".dir")) return { missing: [] };
  const entries = await repo.odb.readTree(hash);
  const missing = entries.filter((e) => !repo.odb.has({ name: hash.name, value: e.md5 })).map((e) => e.md5);
  return { missing, entries };
}

/** @param withEntries directory entries of the workspace version are needed (checkout); status needs only hashes */
export async function outputState(repo: Repo, out: Output, withEntries = true): Promise<OutputState> {
  const name = out.hash?.name ?? "md5";
  const current = await hashWorkspacePath(repo.hashContext(), out.path, { name, store: false, entries: withEntries });
  let missing: string[] = [];
  let recordedEntries: TreeEntry[] | undefined;
  const vouched =
    out.hash &&
    !withEntries &&
    repo.state().dirs.byOid(out.path, out.hash.name, out.hash.value)?.complete === true &&
    repo.odb.has(out.hash);
  if (out.hash && out.cache && !vouched) {
    ({ missing, entries: recordedEntries } = await missingFromCache(repo, out.hash));
    if (missing.length === 0 && out.hash.value.endsWith(".dir")) {
      repo.state().dirs.markComplete(out.path, out.hash.name, out.hash.value);
    }
  }
  let status: OutputStatus;
  if (out.hash && out.cache && missing.length > 0) status = "not in cache";
  else if (!current) status = "deleted";
  else if (!out.hash) status = "new";
  else if (current.hash.value !== out.hash.value) status = "modified";
  else status = "ok";
  return { status, current, missing, ...(recordedEntries ? { recordedEntries } : {}) };
}
