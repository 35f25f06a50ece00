// dvx exp branch NAME [BRANCH]: a git branch at the experiment's commit (default name: "<NAME>-branch", as DVC).
import { BranchExistsError, InvalidNameError } from "../../exp/errors.js";
import { refNameProblem } from "../../exp/names.js";
import { RefChangedError } from "../../git/git-errors.js";
import { updateRef } from "../../git/refs-store.js";
import { gitPlace } from "../exp/collect.js";
import { resolveExperiments } from "../exp/experiments.js";
import type { Repo } from "../repo.js";

export interface ExpBranchResult {
  name: string;
  branch: string;
  commit: string;
}

export async function expBranchOp(repo: Repo, opts: { name: string; branch?: string }): Promise<ExpBranchResult> {
  const { gitRoot } = await gitPlace(repo);
  const [exp] = await resolveExperiments(gitRoot, [opts.name]);
  const branch = opts.branch ?? `${exp!.name}-branch`;
  const problem = refNameProblem(branch);
  if (problem !== null) throw new InvalidNameError(branch, problem, "branch name");
  try {
    await updateRef(gitRoot, `refs/heads/${branch}`, exp!.oid, null);
  } catch (e) {
    if (e instanceof RefChangedError) throw new BranchExistsError(branch);
    throw e;
  }
  return { name: exp!.name, branch, commit: exp!.oid };
}
