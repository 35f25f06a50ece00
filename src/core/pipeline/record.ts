// Records a stage's run (or a `dvx commit` of it): the dvc.lock entry from the dependencies and params as they
// were observed before the command ran and the outputs as they are now; the run-cache entry when eligible.
import { MissingDependencyError } from "../../pipeline/errors.js";
import { lockEntry, runCacheEligible, type LockEntryData, type LockItemData } from "../../pipeline/lock-entry.js";
import type { LockItem, Stage } from "../../pipeline/types.js";
import type { Repo } from "../repo.js";
import type { LockWriter } from "./lock-writer.js";
import type { StageObservation } from "./observe.js";
import { saveRunCacheEntry } from "./run-cache.js";
import { hashKeepingLegacy, saveStageOutputs, toLockItem } from "./save-outputs.js";

export interface RecordContext {
  repo: Repo;
  locks: LockWriter;
  /** --no-commit: outputs are hashed but not stored in the cache; no run-cache entry. */
  noCommit: boolean;
  /** Serialises .gitignore edits between stages running in parallel. */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Files changed for git (.gitignore, dvc.lock), collected across stages. */
  touched: Set<string>;
}

export async function depItems(repo: Repo, stage: Stage, obs: StageObservation): Promise<LockItemData[]> {
  const items: LockItemData[] = [];
  for (const d of obs.deps) {
    if (!d.current) throw new MissingDependencyError(stage.address, d.path);
    const legacyItem = d.lock?.md5 !== undefined && d.lock.hash === undefined;
    if (legacyItem && d.status === null) items.push(toLockItem(d.decl, d.current, true));
    else if (!legacyItem) items.push(toLockItem(d.decl, d.current, false));
    else {
      const dep = stage.deps.find((x) => x.decl === d.decl)!;
      const { h } = await hashKeepingLegacy(repo, dep.path, undefined, false);
      items.push(toLockItem(d.decl, h!, false));
    }
  }
  return items;
}

export function paramItems(
  stage: Stage,
  obs: StageObservation,
): Array<{ decl: string; values: Record<string, unknown> }> {
  return stage.params.map((p, i) => ({ decl: p.decl, values: obs.params[i]!.current ?? {} }));
}

/** Saves the outputs and records the run: dvc.lock entry, run-cache entry. */
export async function recordStage(ctx: RecordContext, stage: Stage, obs: StageObservation): Promise<LockEntryData> {
  ctx.repo.hashMemo?.clear(); // the outputs were just written: hash them anew
  const deps = await depItems(ctx.repo, stage, obs);
  const eligible = runCacheEligible(stage) && !ctx.noCommit;
  const recorded = (out: Stage["outs"][number]): LockItem | undefined => obs.outs.find((o) => o.out === out)?.lock;
  const { items, touched } = await saveStageOutputs(ctx.repo, stage, recorded, {
    store: !ctx.noCommit,
    storeUncached: eligible,
    serial: ctx.serial,
  });
  const entry = lockEntry(stage.cmd, deps, paramItems(stage, obs), items);
  await ctx.locks.write(stage, entry);
  touched.forEach((t) => ctx.touched.add(t));
  if (eligible) await saveRunCacheEntry(ctx.repo, entry);
  return entry;
}
