// dvx exp clean: removes what experiment runs leave behind: DVC's auxiliary refs under refs/exps/ (exec/*,
// apply/*, temp/*; never the queue stashes, which hold queued experiments), ref lock files older than ten
// minutes (a killed process), and dvx's own scratch directory .dvc/tmp/dvx-exps/tmp/.
import { rm } from "node:fs/promises";
import path from "node:path";
import { isAuxRef, QUEUE_REFS } from "../../exp/refs.js";
import { deleteRef, listRefsUnder, staleRefLocks } from "../../git/refs-store.js";
import { gitPlace } from "../exp/collect.js";
import { withLock } from "../lock.js";
import type { Repo } from "../repo.js";

/** dvx's experiment scratch space (queue executors may keep their own state beside it, in .dvc/tmp/dvx-exps/). */
export const EXP_TMP = ["dvx-exps", "tmp"] as const;

export interface ExpCleanResult {
  refs: string[];
  locks: string[];
  tmp: boolean;
}

export async function expCleanOp(repo: Repo): Promise<ExpCleanResult> {
  return withLock(repo, "dvx exp clean", async () => {
    const { gitRoot } = await gitPlace(repo);
    const refs: string[] = [];
    for (const r of await listRefsUnder(gitRoot, "refs/exps/")) {
      if (!isAuxRef(r.ref) || (QUEUE_REFS as readonly string[]).includes(r.ref)) continue;
      await deleteRef(gitRoot, r.ref);
      refs.push(r.ref);
    }
    const locks = await staleRefLocks(gitRoot, "refs/exps", 10 * 60_000);
    for (const l of locks) await rm(l, { force: true });
    const tmp = path.join(repo.tmpDir, ...EXP_TMP);
    const { existsSync } = await import("node:fs");
    const had = existsSync(tmp);
    await rm(tmp, { recursive: true, force: true });
    return { refs, locks, tmp: had };
  });
}
