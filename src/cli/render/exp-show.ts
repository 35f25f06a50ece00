// Text and JSON of `exp show` and `exp diff` in DVC's shapes: --json as DVC's ExpState.dumpd() list (and exp diff's
// {"metrics", "params"}), --md and --csv as DVC prints them (tabulate "github", Python's csv), the terminal table
// with cli-table3 (DVC's rich table depends on the terminal and is not copied byte for byte).
import type { ExpDiffResult } from "../../core/ops/exp-diff.js";
import type { ExpShowResult } from "../../core/ops/exp-show.js";
import type { RecordValues } from "../../core/runs/record-columns.js";
import { expCell, isoLocal } from "../../metrics/exp-cells.js";
import { shapeTable } from "../../metrics/exp-columns.js";
import type { ExpData, ExpRange, ExpState, FileOutcome } from "../../metrics/exp-state.js";
import { dataGroups, FIXED_HEADERS, tabulateExps, type ExpTableOptions } from "../../metrics/exp-table.js";
import { mapLeaves } from "../../metrics/flatten.js";
import { diffCells } from "../../metrics/layout.js";
import { csvTable, markdownTable, renderTable } from "../../metrics/table.js";
import { jsonLeaf } from "../../metrics/values.js";
import { diffJson } from "./metrics.js";
import { recordGroup, recordJson } from "./record-cells.js";
import { boxTable } from "./table.js";

/** DVC's default precision for exp show / exp diff tables (significant digits). */
export const EXP_PRECISION = 5;

const fileJson = (files: Record<string, FileOutcome>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(files).map(([p, f]) => [
      p,
      f.error ? { error: { type: f.error.code, msg: f.error.message } } : { data: mapLeaves(f.data, jsonLeaf) },
    ]),
  );

/** DVC's data, plus `record` (the --record fields of its run record, dvx only) when asked for. */
const dataJson = (d: ExpData, rec: RecordValues | undefined): Record<string, unknown> => {
  const record = rec && recordJson(rec, d.rev);
  return {
    rev: d.rev,
    timestamp: d.timestamp === null ? null : isoLocal(d.timestamp),
    params: fileJson(d.params),
    metrics: fileJson(d.metrics),
    deps: d.deps,
    outs: d.outs,
    meta: d.meta,
    ...(rec ? { record: record ?? null } : {}),
  };
};

const stateJson = (s: ExpState, rec: RecordValues | undefined): Record<string, unknown> => ({
  rev: s.rev,
  name: s.name,
  data: s.data === null ? null : dataJson(s.data, rec),
  error: s.error,
  experiments: s.experiments === null ? null : s.experiments.map((r) => rangeJson(r, rec)),
});

const rangeJson = (r: ExpRange, rec: RecordValues | undefined): Record<string, unknown> => ({
  revs: r.revs.map((s) => stateJson(s, rec)),
  executor: r.executor,
  name: r.name,
});

/** `[ExpState.dumpd(), ...]`, timestamps as local ISO text (DVC's _format_json). */
export function expShowJson(res: ExpShowResult): unknown[] {
  return res.states.map((s) => stateJson(s, res.record));
}

export interface ExpShowTextOptions {
  format: "table" | "md" | "csv";
  precision?: number;
  sortBy?: string;
  sortOrder?: "asc" | "desc";
  keep?: string;
  drop?: string;
  onlyChanged?: boolean;
  now: Date;
}

export function expShowText(res: ExpShowResult, o: ExpShowTextOptions): string {
  const csv = o.format === "csv";
  const fill = csv ? "" : "-";
  // DVC: CSV prints floats unrounded unless --precision is given; the tables default to 5 significant digits
  const precision = o.precision || (csv ? undefined : EXP_PRECISION);
  const opts: ExpTableOptions = {
    fill,
    iso: csv,
    now: o.now,
    ...(precision !== undefined ? { precision } : {}),
    ...(o.sortBy !== undefined ? { sortBy: o.sortBy, sortOrder: o.sortOrder ?? "asc" } : {}),
  };
  if (res.record) {
    const taken = new Set([...FIXED_HEADERS, ...dataGroups(res.states, opts).flatMap((g) => g.headers)]);
    opts.groups = [recordGroup(res.record, taken)];
  }
  const table = tabulateExps(res.states, opts);
  const { headers, rows } = shapeTable(table, {
    csv,
    fill,
    onlyChanged: o.onlyChanged === true,
    ...(o.keep !== undefined ? { keep: o.keep } : {}),
    ...(o.drop !== undefined ? { drop: o.drop } : {}),
  });
  if (csv) return csvTable(headers, rows);
  if (o.format === "md") return markdownTable(headers, rows);
  return rows.length === 0 ? "" : boxTable(headers, rows);
}

/** `{"metrics": {...}, "params": {...}}` as metrics diff / params diff print them; `{}` without commits. */
export function expDiffJson(res: ExpDiffResult): Record<string, unknown> {
  return res.compared ? { metrics: diffJson(res.metrics), params: diffJson(res.params) } : {};
}

/** One stderr line per file (or revision) that could not be read. */
export function expDiffWarnings(res: ExpDiffResult): string[] {
  return res.errors.map(
    (e) => `could not read ${e.path === "" ? "the pipeline" : `'${e.path}'`} at ${e.rev}: ${e.message}`,
  );
}

/** The metrics table, an empty line, the params table (DVC's CmdExperimentsDiff). */
export function expDiffText(res: ExpDiffResult, o: { md: boolean; noPath: boolean; precision?: number }): string {
  if (!res.compared) return "";
  const table = (title: "Metric" | "Param", precision: number | undefined): string => {
    const cells = diffCells(title === "Metric" ? res.metrics : res.params, {
      title,
      aLabel: res.aRev,
      bLabel: res.bRev,
      noPath: o.noPath,
      showChange: true,
      format: (v) => expCell(v, precision),
      emptyDiff: "diff not supported",
    });
    return renderTable(o.md ? "md" : "plain", cells.headers, cells.rows);
  };
  return table("Metric", o.precision || EXP_PRECISION) + "\n" + table("Param", undefined);
}
