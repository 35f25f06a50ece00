// What `plots show` and `plots diff` share once the revisions are known: gather, then write the HTML report or
// build DVC's JSON (or neither, for Markdown).
import { isAbsolute, posix, relative, resolve, sep } from "node:path";
import type { PlotError, PlotProps, PreparedPlot } from "../../plots/types.js";
import type { PlotsJson } from "../../plots/json-report.js";
import { gatherPlots } from "./gather.js";
import { jsonReport, writeHtmlReport, type HtmlReport } from "./report.js";
import type { Repo } from "../repo.js";

export type PlotsOutput = { kind: "html"; title: string } | { kind: "json" } | { kind: "data" };

export interface PlotsOptions {
  cwd: string;
  /** Plot data files, directories, plot ids or regexes, as typed (paths relative to `cwd`). */
  targets: string[];
  /** Properties from the command line: template, x, y, x_label, y_label, title, header. */
  props: PlotProps;
  /** Output directory (default: config plots.out_dir, else "dvc_plots"), relative to `cwd`. */
  out?: string;
  output: PlotsOutput;
}

export interface PlotsResult {
  revisions: string[];
  plots: PreparedPlot[];
  errors: PlotError[];
  /** The report written (html output). */
  html?: HtmlReport;
  /** DVC's `--json` document (json output). */
  json?: PlotsJson;
  /** config plots.auto_open. */
  autoOpen: boolean;
}

/** Targets are plot ids as much as paths: only their cwd prefix is made repo-relative, never checked. */
export function repoTargets(repo: Repo, cwd: string, targets: string[]): string[] {
  const prefix = relative(repo.root, resolve(cwd)).split(sep).join("/");
  if (prefix === "" || prefix.startsWith("..") || isAbsolute(prefix)) return targets;
  return targets.map((t) => posix.normalize(`${prefix}/${t}`));
}

export async function runPlots(
  repo: Repo,
  opts: PlotsOptions,
  revs: string[],
  dropHeadIfSame = false,
): Promise<PlotsResult> {
  const gathered = await gatherPlots(repo, {
    revs,
    targets: repoTargets(repo, opts.cwd, opts.targets),
    props: opts.props,
    cwd: opts.cwd,
    dropHeadIfSame,
  });
  const config = repo.settings.config;
  const outDir = resolve(opts.cwd, opts.out ?? config.get("plots", "out_dir") ?? "dvc_plots");
  const result: PlotsResult = {
    ...gathered,
    autoOpen: /^(true|yes|1|on)$/i.test(config.get("plots", "auto_open") ?? ""),
  };
  if (opts.output.kind === "json") result.json = await jsonReport(gathered, outDir);
  else if (opts.output.kind === "html" && gathered.plots.length > 0)
    result.html = await writeHtmlReport(gathered, outDir, opts.output.title);
  return result;
}
