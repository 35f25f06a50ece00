// Human and JSON text for metrics show/diff and params show/diff, in DVC's exact shapes (dvc/compare.py,
// `--json` as DVC's ui.write_json data). Tables come from metrics/table.ts.
import type { MetricsDiffResult, RevFileError } from "../../core/ops/metrics-diff.js";
import type { ShowResult } from "../../core/ops/metrics-show.js";
import type { DiffRow } from "../../metrics/diff.js";
import { mapLeaves } from "../../metrics/flatten.js";
import { diffCells, showCells } from "../../metrics/layout.js";
import { renderTable, type TableFormat } from "../../metrics/table.js";
import { jsonLeaf } from "../../metrics/values.js";

export interface DiffRenderOptions {
  title: "Metric" | "Param";
  format: TableFormat;
  noPath?: boolean;
  precision?: number;
}

/** `{"<file>": {"<key>": {"old": …, "new": …, "diff": …}}}`, files in order, keys sorted. */
export function diffJson(rows: readonly DiffRow[]): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const r of rows) {
    const cell: Record<string, unknown> = { old: jsonLeaf(r.old), new: jsonLeaf(r.new) };
    if (r.diff !== undefined) cell.diff = jsonLeaf(r.diff);
    (out[r.path] ??= {})[r.key] = cell;
  }
  return out;
}

/** The diff table; params diff prints nothing at all when nothing changed (DVC's `elif diff:`). */
export function diffText(res: Pick<MetricsDiffResult, "aRev" | "bRev" | "rows">, o: DiffRenderOptions): string {
  if (o.title === "Param" && res.rows.length === 0) return "";
  const cells = diffCells(res.rows, {
    title: o.title,
    aLabel: res.aRev,
    bLabel: res.bRev,
    noPath: o.noPath === true,
    showChange: o.title === "Metric",
    ...(o.precision !== undefined ? { precision: o.precision } : {}),
  });
  return renderTable(o.format, cells.headers, cells.rows);
}

/** `{"<rev>": {"data": {"<file>": {"data": …} | {"error": {"type", "msg"}}}}}` ("" = the workspace). */
export function showJson(res: ShowResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of res.revisions) {
    const firstError = r.errors[0]?.error;
    if (r.files.length === 0 && firstError) {
      out[r.name] = { error: { type: firstError.code, msg: firstError.message } };
      continue;
    }
    const data: Record<string, unknown> = {};
    for (const f of r.files)
      data[f.path] = f.error
        ? { error: { type: f.error.code, msg: f.error.message } }
        : { data: mapLeaves(f.data, jsonLeaf) };
    out[r.name] = { data };
  }
  return out;
}

export function showText(res: ShowResult, format: TableFormat, precision?: number): string {
  const entries = res.revisions.flatMap((r) => r.files.map((f) => ({ rev: r.name, path: f.path, data: f.data })));
  const cells = showCells(entries, { withRevision: res.withRevision, ...(precision ? { precision } : {}) });
  return renderTable(format, cells.headers, cells.rows);
}

/** One stderr line per file that could not be read: what, where, why. */
export function readWarnings(what: "metrics" | "params", errors: readonly RevFileError[]): string[] {
  return errors.map((e) => `could not read ${what} at ${e.rev}: ${e.message}`);
}
