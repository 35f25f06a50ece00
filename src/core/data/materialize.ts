// Brings one output's workspace copy to its recorded version from the cache: plan first (what to
// place, what to delete, what would be lost), then apply. Used by checkout, pull and add (relink).
import { promises as fs, readdirSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { assertWritesStayInside } from "../../fsx/paths.js";
import { bulkCopy, bulkCopyAvailable } from "../../fsx/bulk-copy.js";
import { errCode, mapWriteError } from "../../fsx/atomic.js";
import type { Linker } from "../../odb/link.js";
import type { HashInfo, TreeEntry } from "../../odb/types.js";
import type { Output } from "../../tracking/output.js";
import type { Repo } from "../repo.js";
import type { HashedPath } from "./workspace-hash.js";

/** Files per bulk copy call. */
const BULK_SLICE = 20_000;

export interface PlaceItem {
  /** Repo-relative workspace path. */
  path: string;
  object: HashInfo;
  isexec: boolean;
  size: number;
}

export interface MaterializePlan {
  output: Output;
  place: PlaceItem[];
  /** Repo-relative paths to delete (extra files in a directory, or a file/dir of the wrong kind). */
  remove: string[];
  /** Workspace paths whose current content is not in the cache and would be lost. */
  unsaved: string[];
  /** Recorded objects missing from the cache (nothing is placed for them). */
  missing: string[];
  unchanged: boolean;
}

const inCache = (repo: Repo, name: HashInfo["name"], value: string): boolean => repo.odb.has({ name, value });

/**
 * @param current the workspace hash of the output (from outputState), null when absent
 * @param entries the recorded manifest for directory outputs
 */
export function planMaterialize(
  repo: Repo,
  out: Output,
  current: HashedPath | null,
  entries: TreeEntry[] | undefined,
  relink: boolean,
): MaterializePlan {
  const plan: MaterializePlan = { output: out, place: [], remove: [], unsaved: [], missing: [], unchanged: false };
  const h = out.hash!;
  const isDir = h.value.endsWith(".dir");
  if (current && current.hash.value === h.value && !relink) {
    plan.unchanged = true;
    return plan;
  }
  if (!isDir) {
    if (current?.isDir) {
      plan.remove.push(out.path);
      for (const e of current.entries ?? [])
        if (!inCache(repo, h.name, e.md5)) plan.unsaved.push(`${out.path}/${e.relpath}`);
    } else if (current && current.hash.value !== h.value && !inCache(repo, h.name, current.hash.value)) {
      plan.unsaved.push(out.path);
    }
    if (!inCache(repo, h.name, h.value)) plan.missing.push(h.value);
    else plan.place.push({ path: out.path, object: h, isexec: out.isexec === true, size: out.size ?? 0 });
    return plan;
  }
  if (!entries) {
    plan.missing.push(h.value);
    return plan;
  }
  const have = new Map<string, string>();
  if (current && !current.isDir) {
    plan.remove.push(out.path);
    if (!inCache(repo, h.name, current.hash.value)) plan.unsaved.push(out.path);
  } else for (const e of current?.entries ?? []) have.set(e.relpath, e.md5);
  const want = new Set<string>();
  for (const e of entries) {
    want.add(e.relpath);
    const cur = have.get(e.relpath);
    if (cur === e.md5 && !relink) continue;
    if (cur !== undefined && cur !== e.md5 && !inCache(repo, h.name, cur))
      plan.unsaved.push(`${out.path}/${e.relpath}`);
    if (!inCache(repo, h.name, e.md5)) plan.missing.push(e.md5);
    else
      plan.place.push({
        path: `${out.path}/${e.relpath}`,
        object: { name: h.name, value: e.md5 },
        isexec: false,
        size: e.size ?? 1,
      });
  }
  for (const [rel, md5] of have) {
    if (want.has(rel)) continue;
    plan.remove.push(`${out.path}/${rel}`);
    if (!inCache(repo, h.name, md5)) plan.unsaved.push(`${out.path}/${rel}`);
  }
  return plan;
}

/** Executes a plan. Removals first, then placements; empty directories left behind are pruned. */
/** From this many files, copies go through worker threads (bulk-copy.ts). */
const BULK = 2000;

export async function applyMaterialize(
  repo: Repo,
  plan: MaterializePlan,
  linker: Linker,
  onFile?: (bytes: number, files: number) => void,
): Promise<void> {
  for (const rel of plan.remove) {
    await fs.rm(join(repo.root, rel), { recursive: true, force: true });
  }
  const { runPool } = await import("../../util/pool.js");
  // a directory in the way that is a symlink out of the repository must never receive our files
  const checked = new Set<string>();
  for (const item of plan.place) {
    const parent = dirname(item.path);
    if (checked.has(parent)) continue;
    checked.add(parent);
    assertWritesStayInside(repo.root, join(repo.root, item.path), plan.output.owner || item.path);
  }
  const copies = linker.copies;
  // files whose copy was prepared during the download only need a move: the linker does that
  const viaLinker: PlaceItem[] = [];
  const rest: PlaceItem[] = linker.anyPrepared ? [] : plan.place;
  if (linker.anyPrepared)
    for (const it of plan.place) (linker.hasPrepared(repo.odb.path(it.object)) ? viaLinker : rest).push(it);
  const placeOne = async (item: PlaceItem): Promise<void> => {
    await linker.place(repo.odb.path(item.object), join(repo.root, item.path), item.isexec, item.size);
    onFile?.(item.size, 1);
  };
  await runPool(viaLinker.length, 4, (i) => placeOne(viaLinker[i]!));
  if (copies && rest.length >= BULK && bulkCopyAvailable()) {
    const order = rest.map((_, i) => i).sort((a, b) => (rest[a]!.path < rest[b]!.path ? -1 : 1));
    // in slices, so the copy lists of 100k files are never all in memory at once
    for (let start = 0; start < order.length; start += BULK_SLICE) {
      const items = order.slice(start, start + BULK_SLICE).map((i) => {
        const it = rest[i]!;
        return {
          src: repo.odb.path(it.object),
          dest: join(repo.root, it.path),
          mode: (it.isexec ? 0o777 : 0o666) & ~repo.umask,
        };
      });
      const res = await bulkCopy(items, {
        tmpDir: repo.tmpDir,
        clone: copies.clone,
        onProgress: (n, b) => onFile?.(b, n),
      });
      const first = res.errors[0];
      if (first)
        throw mapWriteError(Object.assign(new Error(first.message), { code: first.code }), items[first.index]!.dest);
    }
  } else await runPool(rest.length, 16, (i) => placeOne(rest[i]!));
  if (plan.output.hash?.value.endsWith(".dir")) {
    await fs.mkdir(join(repo.root, plan.output.path), { recursive: true }); // an empty directory output still exists
    pruneEmptyDirs(join(repo.root, plan.output.path), true);
  }
}

function pruneEmptyDirs(dir: string, keepSelf: boolean): boolean {
  let ents;
  try {
    ents = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (errCode(err) === "ENOENT") return true;
    throw err;
  }
  let empty = true;
  for (const e of ents) {
    if (e.isDirectory() && pruneEmptyDirs(join(dir, e.name), false)) continue;
    empty = false;
  }
  if (empty && !keepSelf) rmdirSync(dir);
  return empty;
}
