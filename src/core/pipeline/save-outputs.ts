// After a stage ran (or was restored): hash its outputs and store the cached ones (DVC's stage.save() +
// commit()), relink them with the configured link type, add their .gitignore entries, and give the lock items.
// An unchanged DVC 2 (legacy) item stays legacy; a changed one becomes DVC 3 (docs/formats.md §9.5).
import type { LockItemData } from "../../pipeline/lock-entry.js";
import type { LockItem, Stage, StageOut } from "../../pipeline/types.js";
import { addIgnoreEntry } from "../../tracking/gitignore.js";
import { relinkOutput } from "../data/relink.js";
import { hashWorkspacePath, type HashedPath } from "../data/workspace-hash.js";
import type { Repo } from "../repo.js";
import { StageOutputMissingError } from "./errors.js";

export interface SaveOptions {
  /** Store cached outputs in the cache (false with --no-commit). */
  store: boolean;
  /** Also store outputs with `cache: false` (metrics, plots), as DVC does for the run cache. */
  storeUncached: boolean;
  /** Serialises .gitignore edits between stages running in parallel. */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
}

export const toLockItem = (decl: string, h: HashedPath, legacy: boolean): LockItemData => ({
  path: decl,
  md5: h.hash.value,
  size: h.size,
  ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}),
  ...(h.isexec ? { isexec: true } : {}),
  ...(legacy ? { legacy: true } : {}),
});

/** The hash of a workspace path, kept in DVC 2's algorithm when the recorded legacy item still matches. */
export async function hashKeepingLegacy(
  repo: Repo,
  path: string,
  recorded: LockItem | undefined,
  store: boolean,
): Promise<{ h: HashedPath | null; legacy: boolean }> {
  const ctx = repo.hashContext();
  if (recorded?.md5 && recorded.hash === undefined) {
    const legacy = await hashWorkspacePath(ctx, path, { name: "md5-dos2unix", store: false });
    if (legacy && legacy.hash.value === recorded.md5) {
      const h = store ? await hashWorkspacePath(ctx, path, { name: "md5-dos2unix", store: true }) : legacy;
      return { h, legacy: true };
    }
  }
  return { h: await hashWorkspacePath(ctx, path, { name: "md5", store }), legacy: false };
}

export async function saveStageOutputs(
  repo: Repo,
  stage: Stage,
  recorded: (out: StageOut) => LockItem | undefined,
  opts: SaveOptions,
): Promise<{ items: LockItemData[]; touched: string[] }> {
  const items: LockItemData[] = [];
  const touched: string[] = [];
  for (const out of stage.outs) {
    const store = out.cache ? opts.store : opts.storeUncached;
    const { h, legacy } = await hashKeepingLegacy(repo, out.path, recorded(out), store);
    if (!h) throw new StageOutputMissingError(stage.address, out.path);
    items.push(toLockItem(out.decl, h, legacy));
    if (!out.cache) continue;
    if (opts.store) await relinkOutput(repo, out.path, h);
    const gi = await opts.serial(() =>
      addIgnoreEntry(repo.root, out.path, async () => {
        if (!repo.scm) return true; // no git: no .gitignore entries
        const { isIgnored } = await import("../../git/git.js");
        return isIgnored(repo.root, out.path);
      }),
    );
    if (gi) touched.push(gi);
  }
  return { items, touched };
}
