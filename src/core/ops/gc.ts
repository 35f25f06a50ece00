// dvx gc: delete cache objects that no revision in the chosen scope needs. Never without a scope.
import { promises as fs } from "node:fs";
import { UsageError } from "../../errors.js";
import { listCacheObjects, listStaleTemps } from "../../odb/list.js";
import { QueueActiveError } from "../../exp/queue-errors.js";
import { withLock } from "../lock.js";
import { queueActivity } from "../queue/control.js";
import type { Repo } from "../repo.js";
import { hashId, scopeOutputs, scopeReaders, usedObjects, type RevScope } from "../data/used-objects.js";

export interface GcOptions extends RevScope {
  dry?: boolean;
  /** Asked before deleting (the CLI prompts or honours -f); false aborts. */
  confirm: (summary: { remove: number; keep: number }) => Promise<boolean>;
}

export interface GcResult {
  scanned: string[];
  removed: string[];
  kept: number;
  dry: boolean;
  aborted: boolean;
  warnings: string[];
}

export function requireScope(scope: RevScope & { cloud?: boolean }): void {
  if (!scope.workspace && !scope.allBranches && !scope.allTags) {
    throw new UsageError("gc needs a scope: what to keep", {
      hint: "use -w (keep what the workspace uses), and add -a (all branches) and/or -T (all tags)",
    });
  }
}

export async function gcOp(repo: Repo, opts: GcOptions): Promise<GcResult> {
  requireScope(opts);
  return withLock(repo, "dvx gc", async () => {
    const readers = await scopeReaders(repo, { workspace: true, allBranches: opts.allBranches, allTags: opts.allTags });
    const { outputs, warnings } = await scopeOutputs(repo, readers);
    const used = await usedObjects(repo, outputs);
    for (const d of used.unknownDirs)
      warnings.push(
        `directory object ${d.value} is not in the cache; ` +
          `its files cannot be told apart and are kept only if used elsewhere`,
      );
    const all = listCacheObjects(repo.odb.root);
    const remove = all.filter((h) => !used.objects.has(hashId(h)));
    const result: GcResult = {
      scanned: readers.map((r) => r.label),
      removed: remove.map((h) => h.value),
      kept: all.length - remove.length,
      dry: opts.dry === true,
      aborted: false,
      warnings,
    };
    if (opts.dry || remove.length === 0) return result;
    // the queue's workers write into this cache from their own worktrees, outside the repository lock
    const { localExecutor } = await import("../queue/local-executor.js");
    const active = await queueActivity(repo, localExecutor());
    if (active !== null) throw new QueueActiveError(active, "dvx gc");
    if (!(await opts.confirm({ remove: remove.length, keep: result.kept })))
      return { ...result, removed: [], aborted: true };
    for (const h of remove) {
      await fs.rm(repo.odb.path(h), { force: true });
      repo.odb.forget(h);
    }
    repo.state().dirs.clearComplete();
    await repo.state().save();
    for (const t of listStaleTemps(repo.odb.root, 3600_000)) await fs.rm(t, { force: true });
    return result;
  });
}
