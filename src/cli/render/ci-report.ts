// Text of `dvx ci report`: the stderr line after writing the report file, and the --json document (the report's
// data with every value JSON-safe, and the Markdown).
import type { CiReportResult } from "../../core/ops/ci-report.js";
import { jsonLeaf } from "../../metrics/values.js";
import type { DiffRow } from "../../metrics/diff.js";

const rowJson = (r: DiffRow & { direction?: string; verdict?: string }): Record<string, unknown> => ({
  path: r.path,
  key: r.key,
  old: jsonLeaf(r.old),
  new: jsonLeaf(r.new),
  ...(r.diff !== undefined ? { diff: jsonLeaf(r.diff) } : {}),
  ...(r.direction !== undefined ? { direction: r.direction } : {}),
  ...(r.verdict !== undefined ? { verdict: r.verdict } : {}),
});

export function ciReportJson(res: CiReportResult): Record<string, unknown> {
  const { report } = res;
  return {
    name: res.name,
    base: res.base,
    head: res.head,
    output: res.output,
    metrics: { ...report.metrics, rows: report.metrics.rows.map(rowJson) },
    params: { ...report.params, rows: report.params.rows.map(rowJson) },
    data: report.data,
    plots: report.plots,
    run: report.run,
    fetched: res.fetched,
    warnings: res.warnings,
    markdown: res.markdown,
  };
}

export function ciReportText(res: CiReportResult): string {
  const { report } = res;
  const n = (k: number, one: string): string => `${k} ${one}${k === 1 ? "" : "s"}`;
  const what = [
    n(report.metrics.rows.length, "metric"),
    n(report.params.rows.length, "param"),
    n(report.data.outputs.length, "output"),
  ].join(", ");
  return (
    `wrote the '${res.name}' report to ${res.output} (${res.base.label} → ${res.head.label}: ${what} changed` +
    `${res.fetched > 0 ? `; fetched ${n(res.fetched, "object")}` : ""})\n`
  );
}
