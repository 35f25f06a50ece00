// Text for `dvx plots`: warnings for what could not be read, the report's location, and the Markdown report.
import { plotsMarkdown } from "../../plots/mermaid.js";
import type { PlotsResult } from "../../core/plots/run.js";

/** One line per failure: "HEAD~1: eval/loss.csv: 'eval/loss.csv' does not exist". */
export function plotsWarnings(res: Pick<PlotsResult, "errors">): string[] {
  return res.errors.map((e) =>
    [e.rev, e.source ?? e.name, e.msg].filter((s) => s !== undefined && s !== "").join(": "),
  );
}

/** What the HTML report holds, for stderr. */
export function reportSummary(res: PlotsResult): string {
  const h = res.html;
  if (!h) return "";
  const parts = [`${h.charts} chart${h.charts === 1 ? "" : "s"}`];
  if (h.images > 0) parts.push(`${h.images} image${h.images === 1 ? "" : "s"}`);
  if (h.failed > 0) parts.push(`${h.failed} not drawn`);
  const revs = res.revisions.join(", ");
  return `${parts.join(", ")} for ${revs} (${(h.bytes / 1024).toFixed(0)} KiB)\n`;
}

export function plotsMarkdownReport(res: PlotsResult): string {
  if (res.plots.length === 0) return "_no plots_\n";
  return plotsMarkdown(res.plots);
}
