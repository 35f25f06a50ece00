// The Markdown of a change report (`dvx ci report`), pure: the marker line naming the report, a title, the two
// commits compared, then one section each for metrics, params, data, plots and the newest `dvx repro` run. A
// section with nothing to show says so in a line. Nothing is cut here (`dvx ci comment` cuts what GitHub would
// refuse), so every section stays well-formed on its own.
import type { DiffRow } from "../metrics/diff.js";
import { signOf } from "../metrics/direction.js";
import { diffCells } from "../metrics/layout.js";
import { markdownTable } from "../metrics/table.js";
import { DEFAULT_REPORT_NAME, markerFor } from "./comment-body.js";
import { dataMarkdown } from "./data-md.js";
import { code, duration, table, utcMinute } from "./md-text.js";
import type { MetricRow, ReportData, ReportRev, RunSection, TableSection } from "./report-model.js";

/** Decimals of metric values, as `dvx metrics diff` prints them by default (DVC's --precision 5). */
export const METRICS_PRECISION = 5;

function revLine(role: "Base" | "Head", r: ReportRev): string {
  const what = r.commit === null ? "the workspace (no commits yet)" : r.commit;
  const tail = r.workspace && r.commit !== null ? " with the workspace's changes" : "";
  return `- **${role}:** ${what}${tail}${r.why ? ` (${r.why})` : ""}\n`;
}

const problemLines = (s: TableSection<unknown>): string =>
  s.problems.map((p) => `_Could not read ${code(p.path)} at ${code(p.rev)}: ${p.message}_\n`).join("");

/** ▲/▼ for the sign of a numeric change, then the verdict when the metric's direction is known. */
function changeMark(r: MetricRow): string {
  if (r.diff === undefined || r.diff === null) return "";
  const s = signOf(r.diff);
  const arrow = s > 0 ? "▲" : s < 0 ? "▼" : "";
  const verdict = r.verdict === "improved" || r.verdict === "regressed" ? r.verdict : "";
  return [arrow, verdict].filter((x) => x !== "").join(" ");
}

const noFiles = (what: string, targets: readonly string[]): string =>
  targets.length > 0
    ? `No ${what} files under ${targets.map((t) => code(t)).join(", ")}.\n`
    : `No ${what} files are declared.\n`;

const noPlots = (targets: readonly string[]): string =>
  targets.length > 0 ? `No plots under ${targets.map((t) => code(t)).join(", ")}.\n` : "No plots are declared.\n";

function metricsMarkdown(m: TableSection<MetricRow>, base: string, head: string, targets: string[]): string {
  if (m.files.length === 0) return `${noFiles("metrics", targets)}${problemLines(m)}`;
  if (m.rows.length === 0) return `No metric changed.\n${problemLines(m)}`;
  const cells = diffCells(m.rows, {
    title: "Metric",
    aLabel: base,
    bLabel: head,
    showChange: true,
    precision: METRICS_PRECISION,
  });
  const rows = cells.rows.map((row, i) => {
    const mark = changeMark(m.rows[i]!);
    return mark === "" ? row : [...row.slice(0, -1), `${row[row.length - 1]} ${mark}`];
  });
  const improved = m.rows.filter((r) => r.verdict === "improved").length;
  const regressed = m.rows.filter((r) => r.verdict === "regressed").length;
  const verdicts = improved + regressed > 0 ? `${improved} improved, ${regressed} regressed.\n\n` : "";
  return `${verdicts}${markdownTable(cells.headers, rows).trimEnd()}\n${problemLines(m) ? `\n${problemLines(m)}` : ""}`;
}

function paramsMarkdown(p: TableSection<DiffRow>, base: string, head: string, targets: string[]): string {
  if (p.files.length === 0) return `${noFiles("params", targets)}${problemLines(p)}`;
  if (p.rows.length === 0) return `No params changed.\n${problemLines(p)}`;
  const cells = diffCells(p.rows, { title: "Param", aLabel: base, bLabel: head });
  return `${markdownTable(cells.headers, cells.rows).trimEnd()}\n${problemLines(p) ? `\n${problemLines(p)}` : ""}`;
}

function runMarkdown(run: RunSection | null, head: ReportRev): string {
  if (run === null) return "No `dvx repro` run is recorded in this workspace.\n";
  const done = run.stages.filter((s) => s.action !== "unchanged");
  const unchanged = run.stages.filter((s) => s.action === "unchanged");
  const byAction = new Map<string, number>();
  for (const s of done) byAction.set(s.action, (byAction.get(s.action) ?? 0) + 1);
  const counts = [...byAction].map(([a, n]) => `${n} ${a}`);
  if (unchanged.length > 0) counts.push(`${unchanged.length} unchanged`);
  let out =
    `The newest \`dvx repro\` (run ${code(run.id)}) ${run.status} on ${utcMinute(run.started)} after ` +
    `${duration(run.durationMs)}${counts.length > 0 ? `: ${counts.join(", ")}` : ""}.\n`;
  if (head.commit !== null && run.commit !== head.commit) {
    const at = run.commit === null ? "no commit" : code(run.commit.slice(0, 7));
    out += `\n_It ran at ${at}, not at the head compared here._\n`;
  }
  if (done.length > 0)
    out += `\n${table(
      ["Stage", "Action", "Time"],
      "llr",
      done.map((s) => [code(s.stage, true), s.action, duration(s.durationMs)]),
    )}`;
  else if (run.stages.length > 0) out += "\nEvery stage was up to date.\n";
  return out;
}

/** The whole report. */
export function reportMarkdown(d: ReportData): string {
  const title = d.name === DEFAULT_REPORT_NAME ? "dvx report" : `dvx report: ${d.name}`;
  const sections: Array<[string, string]> = [
    ["Metrics", metricsMarkdown(d.metrics, d.base.label, d.head.label, d.targets)],
    ["Params", paramsMarkdown(d.params, d.base.label, d.head.label, d.targets)],
    ["Data", dataMarkdown(d.data)],
  ];
  if (d.plots !== null) sections.push(["Plots", d.plots.kind === "markdown" ? d.plots.markdown : noPlots(d.targets)]);
  sections.push(["Pipeline run", runMarkdown(d.run, d.head)]);
  return (
    `${markerFor(d.name)}\n## ${title}\n\n${revLine("Base", d.base)}${revLine("Head", d.head)}` +
    sections.map(([h, body]) => `\n### ${h}\n\n${body.trimEnd()}\n`).join("")
  );
}
