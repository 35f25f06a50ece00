// dvx params diff: the params of two revisions side by side (a_rev default HEAD, b_rev default the
// workspace), as DVC computes them: tracked keys, whole params files, lists compared as Python str().
import { diffFiles, type DiffRow } from "../../metrics/diff.js";
import { paramsForDisplay } from "../../metrics/read.js";
import { gatherParams, type RevData } from "../metrics-gather.js";
import type { Repo } from "../repo.js";
import { openRevPair } from "../revisions.js";
import { resolveTarget } from "../targets.js";
import { pairData, revErrors, type RevFileError } from "./metrics-diff.js";

export interface ParamsDiffOptions {
  cwd: string;
  aRev?: string;
  bRev?: string;
  /** Params files to compare whole instead of the tracked ones (relative to cwd). */
  targets?: string[];
  all?: boolean;
  /** Only params that are stage dependencies (not top-level `params`, not the default params.yaml). */
  depsOnly?: boolean;
}

export interface ParamsDiffResult {
  aRev: string;
  bRev: string;
  files: string[];
  rows: DiffRow[];
  errors: RevFileError[];
}

/** Lists (and other non-mapping containers) as the strings DVC compares and prints. */
export function displayable(r: RevData): RevData {
  return {
    ...r,
    files: r.files.map((f) =>
      f.data === undefined ? f : { ...f, data: paramsForDisplay(f.data as Record<string, unknown>) },
    ),
  };
}

export async function paramsDiffOp(repo: Repo, opts: ParamsDiffOptions): Promise<ParamsDiffResult> {
  const pair = await openRevPair(repo, opts.aRev, opts.bRev);
  const aRev = opts.aRev ?? "HEAD";
  const bRev = opts.bRev ?? "workspace";
  if (pair === null) return { aRev, bRev, files: [], rows: [], errors: [] };
  const targets = (opts.targets ?? []).map((t) => resolveTarget(repo, opts.cwd, t));
  const gather = { targets, depsOnly: opts.depsOnly === true };
  const [a, b] = (await Promise.all([gatherParams(pair.a, gather), gatherParams(pair.b, gather)])).map(displayable);
  const { files, aData, bData } = pairData(a!, b!);
  return { aRev, bRev, files, rows: diffFiles(files, aData, bData, opts.all === true), errors: revErrors(a!, b!) };
}
