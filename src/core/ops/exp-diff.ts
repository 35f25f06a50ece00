// dvx exp diff: metrics and params of two experiments or revisions (DVC's experiments/diff.py): a_rev default HEAD,
// b_rev default the workspace, each a git revision or an experiment name; the rows of `metrics diff`/`params diff`.
import { diffFiles, type DiffRow } from "../../metrics/diff.js";
import type { ExpData, FileOutcome } from "../../metrics/exp-state.js";
import { paramsForDisplay } from "../../metrics/read.js";
import { collectRev, memoFiles } from "../exp/collect-rev.js";
import { resolveRevOrExp } from "../exp/experiments.js";
import { ParseMemo } from "../exp/memo-files.js";
import type { Repo } from "../repo.js";
import type { RevFileError } from "./metrics-diff.js";

export interface ExpDiffOptions {
  aRev?: string;
  bRev?: string;
  /** Unchanged values too. */
  all?: boolean;
  /** Only params that are stage dependencies. */
  paramDeps?: boolean;
}

export interface ExpDiffResult {
  /** Column headers: the revisions as typed, or HEAD and workspace. */
  aRev: string;
  bRev: string;
  /** False in a repository without commits (DVC prints `{}` there). */
  compared: boolean;
  metrics: DiffRow[];
  params: DiffRow[];
  errors: RevFileError[];
}

type Side = "metrics" | "params";

function sideData(data: ExpData | null, side: Side): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [path, f] of Object.entries(data?.[side] ?? {})) {
    if (f.error) continue;
    out.set(path, side === "params" ? paramsForDisplay(f.data as Record<string, unknown>) : f.data);
  }
  return out;
}

function fileErrors(rev: string, files: Record<string, FileOutcome>): RevFileError[] {
  return Object.entries(files).flatMap(([path, f]) => (f.error ? [{ rev, path, ...f.error }] : []));
}

export async function expDiffOp(repo: Repo, opts: ExpDiffOptions = {}): Promise<ExpDiffResult> {
  const aRev = opts.aRev ?? "HEAD";
  const bRev = opts.bRev ?? "workspace";
  const empty = { aRev, bRev, compared: false, metrics: [], params: [], errors: [] };
  const { headOid } = await import("../../git/git-read.js");
  if ((await headOid(repo.root)) === null) return empty;
  const memo = new ParseMemo();
  const aCommit = await resolveRevOrExp(repo.root, aRev);
  const bCommit = opts.bRev === undefined ? undefined : await resolveRevOrExp(repo.root, opts.bRev);
  const collect = async (commit: string | undefined) =>
    collectRev(await memoFiles(repo, memo, commit), null, { paramDeps: opts.paramDeps === true });
  const a = await collect(aCommit);
  const b = await collect(bCommit);
  const errors: RevFileError[] = [];
  for (const [rev, side] of [
    [aRev, a],
    [bRev, b],
  ] as const) {
    if (side.error) errors.push({ rev, path: "", code: side.error.type, message: side.error.msg });
    else errors.push(...fileErrors(rev, side.data.metrics), ...fileErrors(rev, side.data.params));
  }
  const rows = (s: Side): DiffRow[] => {
    const files = [...new Set([...Object.keys(b.data?.[s] ?? {}), ...Object.keys(a.data?.[s] ?? {})])];
    return diffFiles(files, sideData(a.data, s), sideData(b.data, s), opts.all === true);
  };
  return { aRev, bRev, compared: true, metrics: rows("metrics"), params: rows("params"), errors };
}
