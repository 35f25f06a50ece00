// The cells of DVC's metrics/params tables (dvc/compare.py): `metrics diff` / `params diff` rows and the
// `metrics show` grid (one row per file and revision, one column per flattened name, sorted). Pure; the
// strings go to table.ts for plain/markdown/csv text.
import { compareCodePoints } from "../util/py-json.js";
import type { DiffRow } from "./diff.js";
import { flatten, isMapping } from "./flatten.js";
import { formatLeaf } from "./values.js";

export interface Cells {
  headers: string[];
  rows: string[][];
}

export interface DiffLayout {
  /** "Metric" or "Param". */
  title: string;
  /** Column headers for the two sides: the revisions as typed, or HEAD and workspace. */
  aLabel: string;
  bLabel: string;
  noPath?: boolean;
  /** The Change column (metrics diff has it, params diff does not). */
  showChange?: boolean;
  /** Round floats to this many decimals (Python round); undefined = print them unrounded. */
  precision?: number;
  /** The text of a present value, instead of formatLeaf with `precision` (a missing one is always `-`). */
  format?: (v: unknown) => string;
  /** What Change shows when there is no difference to compute (DVC's on_empty_diff; default `-`). */
  emptyDiff?: string;
}

export function diffCells(rows: readonly DiffRow[], o: DiffLayout): Cells {
  const keep = (i: number): boolean => !(o.noPath && i === 0) && !(!o.showChange && i === 4);
  const headers = ["Path", o.title, o.aLabel, o.bLabel, "Change"].filter((_, i) => keep(i));
  const format = o.format;
  const fmt = (v: unknown): string =>
    format === undefined ? formatLeaf(v, o.precision) : v === null || v === undefined ? "-" : format(v);
  const change = (r: DiffRow): string =>
    r.diff === undefined && o.emptyDiff !== undefined ? o.emptyDiff : fmt(r.diff);
  return {
    headers,
    rows: rows.map((r) => [r.path, r.key, fmt(r.old), fmt(r.new), change(r)].filter((_, i) => keep(i))),
  };
}

export interface ShowEntry {
  /** The revision's name ("workspace", a branch, tag or commit); only shown with `withRevision`. */
  rev: string;
  path: string;
  /** The file's data (nested mapping or a single value); undefined when it could not be read. */
  data: unknown;
}

/** Flattened name → value of one file (DVC: a non-mapping file is one value named ""). */
export function flatValues(data: unknown): Map<string, unknown> {
  if (data === undefined) return new Map();
  return isMapping(data) ? flatten(data) : new Map([["", data]]);
}

/** DVC's metrics_table prints str() of a present value: a null param shows as None (a missing one as -). */
const showLeaf = (v: unknown, precision?: number): string => (v === null ? "None" : formatLeaf(v, precision));

export function showCells(entries: readonly ShowEntry[], o: { withRevision: boolean; precision?: number }): Cells {
  const flat = entries.map((e) => flatValues(e.data));
  const names = [...new Set(flat.flatMap((m) => [...m.keys()]))]
    .filter((n) => n !== "Revision" && n !== "Path")
    .sort(compareCodePoints);
  const headers = [...(o.withRevision ? ["Revision"] : []), "Path", ...names];
  const rows = entries.map((e, i) => [
    ...(o.withRevision ? [e.rev] : []),
    e.path,
    ...names.map((n) => (flat[i]!.has(n) ? showLeaf(flat[i]!.get(n), o.precision) : "-")),
  ]);
  return { headers, rows };
}
