// dvx exp rename OLD NEW: the experiment's ref moves to the new name on the same baseline (created first, the
// old one deleted after, both compare-and-swap: there is never a moment without the experiment).
import { ExperimentExistsError } from "../../exp/errors.js";
import { checkExpName } from "../../exp/names.js";
import { expRefName } from "../../exp/refs.js";
import { RefChangedError } from "../../git/git-errors.js";
import { deleteRef, updateRef } from "../../git/refs-store.js";
import { gitPlace } from "../exp/collect.js";
import { resolveExperiments } from "../exp/experiments.js";
import type { Repo } from "../repo.js";

export interface ExpRenameResult {
  from: string;
  to: string;
  ref: string;
  commit: string;
}

export async function expRenameOp(
  repo: Repo,
  opts: { name: string; newName: string; force?: boolean },
): Promise<ExpRenameResult> {
  const { gitRoot } = await gitPlace(repo);
  checkExpName(opts.newName);
  const [exp] = await resolveExperiments(gitRoot, [opts.name]);
  const ref = expRefName(exp!.baseline, opts.newName);
  if (ref !== exp!.ref) {
    try {
      await updateRef(gitRoot, ref, exp!.oid, opts.force ? undefined : null);
    } catch (e) {
      if (e instanceof RefChangedError)
        throw new ExperimentExistsError(opts.newName, ref, "pick another name, or use -f to replace it");
      throw e;
    }
    await deleteRef(gitRoot, exp!.ref, exp!.oid);
  }
  return { from: exp!.name, to: opts.newName, ref, commit: exp!.oid };
}
