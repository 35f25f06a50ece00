// Plots as Markdown that GitHub renders without an image host: line-type plots as Mermaid `xychart-beta` blocks
// (every series resampled onto one grid of at most MAX_POINTS x positions, so a comment stays small), bar plots
// and confusion matrices as tables, images as a pointer to the HTML report. xychart has no legend: a line of
// coloured squares under each chart names the series, in the chart's palette.
import { resampleOnGrid } from "./downsample.js";
import { seriesOf, toNumber, type Series } from "./series.js";
import type { PreparedPlot, PreparedVega } from "./types.js";

/** Points per series in a Mermaid chart (GitHub comments are limited to 65,536 characters). */
export const MAX_POINTS = 100;
const PALETTE: [string, string][] = [
  ["#945dd6", "🟪"],
  ["#4299e1", "🟦"],
  ["#f46837", "🟧"],
  ["#48bb78", "🟩"],
  ["#f56565", "🟥"],
  ["#ecc94b", "🟨"],
  ["#a0522d", "🟫"],
];

/** A string Mermaid accepts inside double quotes. */
const quote = (s: string): string => `"${s.replace(/["\n\r`]/g, "'")}"`;
/** Markdown-safe inline text (table cells, legend). */
const md = (s: string): string => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
const num = (v: number): string => {
  if (!Number.isFinite(v)) return "0";
  const s = String(Number(v.toPrecision(6)));
  return s.includes("e") ? v.toFixed(6).replace(/\.?0+$/, "") : s;
};

const isConfusion = (p: PreparedVega): boolean => p.template.name.startsWith("confusion");
const isBar = (p: PreparedVega): boolean => p.template.name.startsWith("bar_horizontal");

/** Markdown for every plot, one section each. */
export function plotsMarkdown(plots: readonly PreparedPlot[], maxPoints = MAX_POINTS): string {
  const parts = plots.map((p) => {
    const head = `#### ${md(p.id)}\n\n`;
    if (p.kind === "image")
      return `${head}_image (${p.revisions.map(md).join(", ") || "no revision"}): see the HTML report_\n`;
    if (p.datapoints.length === 0) return `${head}_no data_\n`;
    if (isConfusion(p)) return head + confusionTables(p);
    if (isBar(p)) return head + barTable(p);
    return head + xyChart(p, maxPoints);
  });
  return parts.join("\n");
}

/** One `xychart-beta` block (with its palette) and the legend line under it. */
export function xyChart(p: PreparedVega, maxPoints = MAX_POINTS): string {
  const series = seriesOf(p.datapoints, p.props.x, p.props.y, p.props.anchors_y_definitions).filter(
    (s) => s.xs.length > 0,
  );
  if (series.length === 0) return "_no numeric data to draw_\n";
  const grid = resampleOnGrid(series, maxPoints);
  const colours = series.map((_, i) => PALETTE[i % PALETTE.length]!);
  const lines = [
    "```mermaid",
    "---",
    "config:",
    "  themeVariables:",
    "    xyChart:",
    `      plotColorPalette: "${colours.map(([c]) => c).join(", ")}"`,
    "---",
    "xychart-beta",
    `  title ${quote(p.props.title || p.id)}`,
    grid.xs.length > 1
      ? `  x-axis ${quote(p.props.x_label)} ${num(grid.xs[0]!)} --> ${num(grid.xs[grid.xs.length - 1]!)}`
      : `  x-axis ${quote(p.props.x_label)} [${quote(num(grid.xs[0] ?? 0))}]`,
    `  y-axis ${quote(p.props.y_label)}`,
    ...grid.rows.map((row) => `  line [${row.map(num).join(", ")}]`),
    "```",
  ];
  const legend = series.map((s, i) => `${colours[i]![1]} ${md(s.label)}`).join(" · ");
  return `${lines.join("\n")}\n\n${legend}\n\n${note(series, grid.xs.length, grid.extended)}\n`;
}

function note(series: Series[], points: number, extended: boolean): string {
  const most = Math.max(...series.map((s) => s.xs.length));
  const parts = [
    most > points
      ? `${points} points per series (downsampled from up to ${most}: the mean of each x-interval)`
      : `${points} points per series`,
  ];
  if (extended) parts.push("series that end early are held at their last value");
  return `<sub>${parts.join("; ")}</sub>`;
}

/** Bars as a table: one row per category, one column per revision (and source). */
function barTable(p: PreparedVega): string {
  const { x, y } = p.props;
  const cols: string[] = [];
  const rows = new Map<string, Map<string, unknown>>();
  for (const d of p.datapoints) {
    const col = String(d.rev ?? "");
    if (!cols.includes(col)) cols.push(col);
    const cat = String(d[y] ?? "");
    if (!rows.has(cat)) rows.set(cat, new Map());
    rows.get(cat)!.set(col, d[x]);
  }
  const out = [
    `| ${md(p.props.y_label ?? y)} | ${cols.map(md).join(" | ")} |`,
    `|---|${cols.map(() => "---:").join("|")}|`,
  ];
  for (const [cat, vals] of rows) out.push(`| ${md(cat)} | ${cols.map((c) => cell(vals.get(c))).join(" | ")} |`);
  return `${out.join("\n")}\n`;
}

const cell = (v: unknown): string => (v === undefined || v === null ? "-" : md(String(v)));

/** Counts of (actual, predicted) pairs: one table per revision, rows = y (actual), columns = x (predicted). */
function confusionTables(p: PreparedVega): string {
  const { x, y } = p.props;
  const byRev = new Map<string, Map<string, Map<string, number>>>();
  const xs = new Set<string>();
  const ys = new Set<string>();
  for (const d of p.datapoints) {
    const rev = String(d.rev ?? "");
    const xv = String(d[x]);
    const yv = String(d[y]);
    xs.add(xv);
    ys.add(yv);
    if (!byRev.has(rev)) byRev.set(rev, new Map());
    const row = byRev.get(rev)!;
    if (!row.has(yv)) row.set(yv, new Map());
    row.get(yv)!.set(xv, (row.get(yv)!.get(xv) ?? 0) + 1);
  }
  const order = (s: Set<string>): string[] =>
    [...s].sort((a, b) => (isNumeric(a) && isNumeric(b) ? toNumber(a) - toNumber(b) : a < b ? -1 : a > b ? 1 : 0));
  const cols = order(xs);
  const tables: string[] = [];
  for (const [rev, rows] of byRev) {
    const lines = [
      `**${md(rev)}** (rows: ${md(p.props.y_label ?? y)}, columns: ${md(p.props.x_label)})\n`,
      `| | ${cols.map(md).join(" | ")} |`,
      `|---|${cols.map(() => "---:").join("|")}|`,
    ];
    for (const r of order(ys))
      lines.push(`| **${md(r)}** | ${cols.map((c) => rows.get(r)?.get(c) ?? 0).join(" | ")} |`);
    tables.push(lines.join("\n"));
  }
  return `${tables.join("\n\n")}\n`;
}

const isNumeric = (s: string): boolean => Number.isFinite(toNumber(s));
