// dvx metrics diff: the metrics of two revisions side by side (a_rev default HEAD, b_rev default the
// workspace), DVC's row model, plus a dvx-only direction and verdict per row for reports.
import { diffFiles, type DiffRow } from "../../metrics/diff.js";
import { directionFor, verdictOf, type Direction, type Verdict } from "../../metrics/direction.js";
import { gatherMetrics, type RevData } from "../metrics-gather.js";
import type { Repo } from "../repo.js";
import { openRevPair } from "../revisions.js";
import { resolveTarget } from "../targets.js";

export interface MetricsDiffOptions {
  cwd: string;
  aRev?: string;
  bRev?: string;
  /** Metrics files to compare instead of the declared ones (relative to cwd). */
  targets?: string[];
  /** Unchanged metrics too. */
  all?: boolean;
  /** Directions given on the command line (lower-cased "name" or "path:name"); they win over dvx.config. */
  directions?: ReadonlyMap<string, Direction>;
}

export interface MetricsDiffRow extends DiffRow {
  direction?: Direction;
  verdict?: Verdict;
}

/** A file (or dvc.yaml) that could not be read at one side; its rows compare against nothing. */
export interface RevFileError {
  rev: string;
  path: string;
  code: string;
  message: string;
}

export interface MetricsDiffResult {
  /** Column headers for the two sides: the revisions as typed, or "HEAD" and "workspace". */
  aRev: string;
  bRev: string;
  /** Every file compared, in order (b's declaration order, then files only a has). */
  files: string[];
  rows: MetricsDiffRow[];
  errors: RevFileError[];
}

/** The union of both sides' files, b's order first; their data by path. */
export function pairData(
  a: RevData,
  b: RevData,
): { files: string[]; aData: Map<string, unknown>; bData: Map<string, unknown> } {
  const files = [...new Set([...b.files.map((f) => f.path), ...a.files.map((f) => f.path)])];
  const data = (r: RevData): Map<string, unknown> =>
    new Map(r.files.filter((f) => f.error === undefined).map((f) => [f.path, f.data]));
  return { files, aData: data(a), bData: data(b) };
}

export function revErrors(...revs: RevData[]): RevFileError[] {
  return revs.flatMap((r) => [
    ...r.errors.map((e) => ({ rev: r.label, path: e.path, ...e.error })),
    ...r.files.flatMap((f) => (f.error ? [{ rev: r.label, path: f.path, ...f.error }] : [])),
  ]);
}

export async function metricsDiffOp(repo: Repo, opts: MetricsDiffOptions): Promise<MetricsDiffResult> {
  const pair = await openRevPair(repo, opts.aRev, opts.bRev);
  const aRev = opts.aRev ?? "HEAD";
  const bRev = opts.bRev ?? "workspace";
  if (pair === null) return { aRev, bRev, files: [], rows: [], errors: [] };
  const targets = (opts.targets ?? []).map((t) => resolveTarget(repo, opts.cwd, t));
  const [a, b] = await Promise.all([gatherMetrics(pair.a, targets), gatherMetrics(pair.b, targets)]);
  const { files, aData, bData } = pairData(a, b);
  const dirs = new Map([...repo.settings.config.metricDirections, ...(opts.directions ?? [])]);
  const rows = diffFiles(files, aData, bData, opts.all === true).map((row): MetricsDiffRow => {
    const direction = directionFor(dirs, row.path, row.key);
    const verdict = verdictOf(row, direction);
    return { ...row, ...(direction ? { direction } : {}), ...(verdict ? { verdict } : {}) };
  });
  return { aRev, bRev, files, rows, errors: revErrors(a, b) };
}
