// dvx plots show: the plots of the workspace (DVC's `plots show`).
import { WORKSPACE } from "../plots/rev.js";
import { runPlots, type PlotsOptions, type PlotsResult } from "../plots/run.js";
import type { Repo } from "../repo.js";

export type { PlotsOptions, PlotsResult } from "../plots/run.js";

export function plotsShowOp(repo: Repo, opts: PlotsOptions): Promise<PlotsResult> {
  return runPlots(repo, opts, [WORKSPACE]);
}
