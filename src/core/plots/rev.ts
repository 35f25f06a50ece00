// One revision as `dvx plots` reads it: core/rev-files, so a plot file comes from git (or the work tree) or, when
// it is or lies inside a cached output at that revision, from the DVC cache, as DVC's own file system does.
import { openRevFiles, type RevFiles } from "../rev-files.js";
import type { Repo } from "../repo.js";

export const WORKSPACE = "workspace";

export type PlotsRev = RevFiles;

/** The workspace (rev undefined or "workspace") or a git revision (RevisionNotFoundError when unknown). */
export function openPlotsRev(repo: Repo, rev?: string): Promise<PlotsRev> {
  return openRevFiles(repo, rev === undefined || rev === WORKSPACE ? undefined : rev);
}
