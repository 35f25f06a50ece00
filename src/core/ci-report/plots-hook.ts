// HOOK(plots): the Plots section of `dvx ci report`. `dvx plots diff --md` (Mermaid xychart-beta blocks) is being
// built on branch `plots`; it is not on main yet, so the section is left out (null). Once it lands, the body is:
//
//   const { plotsDiffOp } = await import("../ops/plots-diff.js");
//   const { WORKSPACE } = await import("../plots/rev.js");
//   const { plotsMarkdown } = await import("../../plots/mermaid.js");
//   const res = await plotsDiffOp(repo, {
//     cwd: o.cwd, targets: o.targets, props: {}, output: { kind: "data" }, revs: [o.base, o.head ?? WORKSPACE],
//   });
//   return res.plots.length === 0 ? { kind: "none" } : { kind: "markdown", markdown: plotsMarkdown(res.plots) };
//
// (report-md.ts already renders both answers; tests/unit/report/report-md.test.ts covers them.)
import type { PlotsSection } from "../../report/report-model.js";
import type { Repo } from "../repo.js";

export interface PlotsHookOptions {
  cwd: string;
  base: string;
  /** undefined: the workspace. */
  head: string | undefined;
  targets: string[];
}

export async function plotsSection(_repo: Repo, _o: PlotsHookOptions): Promise<PlotsSection | null> {
  return null;
}
