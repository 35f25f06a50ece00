// The "Plots" section of `dvx ci report`: the plots declared at either side, overlaid, as `dvx plots diff --md`
// draws them (Mermaid xychart-beta blocks, tables for bars and confusion matrices). Revisions are named by the
// report's labels (short hashes, "workspace") rather than full hashes, so chart legends stay short.
import { plotsMarkdown } from "../../plots/mermaid.js";
import type { PreparedPlot } from "../../plots/types.js";
import type { PlotsSection } from "../../report/report-model.js";
import { gatherPlots } from "../plots/gather.js";
import { WORKSPACE } from "../plots/rev.js";
import type { Repo } from "../repo.js";

export interface PlotsSectionOptions {
  cwd: string;
  /** The base commit and its label. */
  base: { rev: string; label: string };
  /** The head commit (rev undefined: the workspace) and its label. */
  head: { rev: string | undefined; label: string };
  /** Repo-relative paths: only plots whose id or data files are at or under one of them (all when empty). */
  targets: string[];
}

const under = (p: string, targets: string[]): boolean =>
  targets.length === 0 || targets.some((t) => p === t || p.startsWith(`${t}/`));

/** Does `p` show a file at or under one of `targets` (its id, or a data file its points came from)? */
function selected(p: PreparedPlot, targets: string[]): boolean {
  if (under(p.id, targets)) return true;
  return p.kind === "vega" && p.datapoints.some((d) => typeof d.filename === "string" && under(d.filename, targets));
}

/** `p` with its revisions renamed by `names` (the revision list, every datapoint's and image's `rev`). */
function renamed(p: PreparedPlot, names: Map<string, string>): PreparedPlot {
  const name = (r: string): string => names.get(r) ?? r;
  const revisions = p.revisions.map(name);
  if (p.kind !== "vega") return { ...p, revisions, images: p.images.map((i) => ({ ...i, rev: name(i.rev) })) };
  const datapoints = p.datapoints.map((d) => (typeof d.rev === "string" ? { ...d, rev: name(d.rev) } : d));
  return { ...p, revisions, datapoints };
}

export async function plotsSection(repo: Repo, o: PlotsSectionOptions): Promise<PlotsSection> {
  const head = o.head.rev ?? WORKSPACE;
  // targets are not passed on: `plots diff` would draw any file target as a plot of its own
  const gathered = await gatherPlots(repo, { revs: [o.base.rev, head], targets: [], props: {}, cwd: o.cwd });
  const names = new Map([
    [o.base.rev, o.base.label],
    [head, o.head.label],
  ]);
  const plots = gathered.plots.filter((p) => selected(p, o.targets)).map((p) => renamed(p, names));
  return plots.length === 0 ? { kind: "none" } : { kind: "markdown", markdown: plotsMarkdown(plots) };
}
