// dvx params show (dvx-only): the params of the workspace, or with -a/-T/-A of every branch/tag/commit, in the
// shapes of `metrics show` (lists as Python str(), as `params diff` prints them).
import { gatherParams } from "../metrics-gather.js";
import type { Repo } from "../repo.js";
import type { ShowScope } from "../revisions.js";
import { resolveTarget } from "../targets.js";
import { showAcross, type ShowResult } from "./metrics-show.js";
import { displayable } from "./params-diff.js";

export interface ParamsShowOptions extends ShowScope {
  cwd: string;
  /** Params files to show whole instead of the tracked ones (relative to cwd). */
  targets?: string[];
  depsOnly?: boolean;
}

export async function paramsShowOp(repo: Repo, opts: ParamsShowOptions): Promise<ShowResult> {
  const targets = (opts.targets ?? []).map((t) => resolveTarget(repo, opts.cwd, t));
  return showAcross(repo, opts, async (files) =>
    displayable(await gatherParams(files, { targets, depsOnly: opts.depsOnly === true })),
  );
}
