// dvx plots diff: several revisions overlaid, chosen as DVC chooses them: none given → HEAD and the workspace
// (HEAD left out when the plots read the same in both: DVC leaves it out when git sees no change); one given →
// it and the workspace; more → exactly those.
import { WORKSPACE } from "../plots/rev.js";
import { runPlots, type PlotsOptions, type PlotsResult } from "../plots/run.js";
import type { Repo } from "../repo.js";

export interface PlotsDiffOptions extends PlotsOptions {
  revs: string[];
}

export async function plotsDiffOp(repo: Repo, opts: PlotsDiffOptions): Promise<PlotsResult> {
  if (opts.revs.length >= 2) return runPlots(repo, opts, opts.revs);
  if (opts.revs.length === 1) return runPlots(repo, opts, [opts.revs[0]!, WORKSPACE]);
  const { headOid } = await import("../../git/git.js");
  const hasHead = repo.scm && (await headOid(repo.root)) !== null;
  return runPlots(repo, opts, hasHead ? ["HEAD", WORKSPACE] : [WORKSPACE], hasHead);
}
