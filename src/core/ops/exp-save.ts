// dvx exp save: the workspace as it is, recorded as an experiment without running anything (DVC's exp save):
// changed outputs are committed to the cache and dvc.lock first (`commit -f`), the exp hash covers every stage.
import { relative, resolve, sep } from "node:path";
import { BadTargetError } from "../../errors.js";
import { ExperimentExistsError } from "../../exp/errors.js";
import { expHash } from "../../exp/exp-hash.js";
import { checkExpName, randomExpName } from "../../exp/names.js";
import { expRefName } from "../../exp/refs.js";
import { isSafeRelPath } from "../../fsx/paths.js";
import { readRefRaw } from "../../git/refs-store.js";
import { commitExperiment, gitPlace } from "../exp/collect.js";
import { headCommit, listExperiments } from "../exp/experiments.js";
import { lockEntries } from "../exp/lock-entries.js";
import { stageFiles } from "../exp/stage-files.js";
import { withLock } from "../lock.js";
import { loadProject } from "../pipeline/project.js";
import type { Repo } from "../repo.js";
import { commitOp } from "./commit.js";

export interface ExpSaveOptions {
  cwd: string;
  name?: string;
  force?: boolean;
  message?: string;
  /** Untracked files to take too (repo-relative or relative to cwd). */
  includeUntracked?: string[];
}

export interface ExpSaveResult {
  name: string;
  ref: string;
  commit: string;
  baseline: string;
  expHash: string;
}

export async function expSaveOp(repo: Repo, opts: ExpSaveOptions): Promise<ExpSaveResult> {
  return withLock(repo, "dvx exp save", async () => {
    const { gitRoot } = await gitPlace(repo);
    const baseline = await headCommit(gitRoot);
    let name = opts.name;
    if (name === undefined)
      name = randomExpName(new Set((await listExperiments(gitRoot, baseline)).map((e) => e.name)));
    else {
      checkExpName(name);
      const ref = expRefName(baseline, name);
      if (!opts.force && (await readRefRaw(gitRoot, ref)) !== null) throw new ExperimentExistsError(name, ref);
    }
    const forced = (opts.includeUntracked ?? []).map((p) => {
      const rel = relative(repo.root, resolve(opts.cwd, p)).split(sep).join("/");
      if (!isSafeRelPath(rel)) throw new BadTargetError(p, "it is outside the repository");
      return rel;
    });
    await commitOp(repo, { cwd: repo.root, targets: [], force: true, noLock: true, noGitFollowups: true });
    const project = await loadProject(repo);
    const hash = expHash(await lockEntries(repo, project));
    const extra = stageFiles(project, project.stages.values());
    const done = await commitExperiment(repo, {
      baseline,
      name,
      expHash: hash,
      force: opts.force === true,
      ...(opts.message !== undefined ? { message: opts.message } : {}),
      extra,
      forced,
    });
    return { name, ref: done.ref, commit: done.commit, baseline, expHash: hash };
  });
}
