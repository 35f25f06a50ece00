// One revision's `exp show` data (DVC's collect_rev + SerializableExp.from_repo): params, metrics, deps and outs of
// the workspace or a commit. A file that cannot be read is an error entry for that file; a revision whose dvc.yaml
// (or dvc.lock, or a .dvc file) cannot be loaded is an error for the whole revision, as DVC cannot build its index.
import { AppError } from "../../errors.js";
import type { ExpData, ExpError, FileOutcome } from "../../metrics/exp-state.js";
import { gatherMetrics, gatherParams, type FileResult } from "../metrics-gather.js";
import type { Repo } from "../repo.js";
import { openRevFiles } from "../rev-files.js";
import { depsAndOuts } from "./exp-index.js";
import { MemoRevFiles, type ParseMemo } from "./memo-files.js";

export interface CollectOptions {
  /** Only params that are stage dependencies (`--param-deps`). */
  paramDeps: boolean;
}

export type Collected = { data: ExpData; error: null } | { data: null; error: ExpError };

const toError = (e: AppError): ExpError => ({ msg: e.message, type: e.code });

function outcomes(files: readonly FileResult[]): Record<string, FileOutcome> {
  const out: Record<string, FileOutcome> = {};
  for (const f of files) out[f.path] = f.error ? { error: f.error } : { data: f.data };
  return out;
}

/** The files of the workspace (`commit` undefined) or of a commit, sharing parses through `memo`. */
export async function memoFiles(repo: Repo, memo: ParseMemo, commit?: string): Promise<MemoRevFiles> {
  const self: { files?: MemoRevFiles } = {};
  // a commit's tracked outputs (for metrics inside cached outputs) come from the shared parses too
  const outputs = commit === undefined ? {} : { outputs: () => self.files!.trackedOutputs() };
  self.files = new MemoRevFiles(await openRevFiles(repo, commit, commit?.slice(0, 7), outputs), repo.root, memo);
  return self.files;
}

/** Collects one revision; `timestamp` is the commit time (null for the workspace). */
export async function collectRev(
  files: MemoRevFiles,
  timestamp: number | null,
  opts: CollectOptions,
): Promise<Collected> {
  try {
    const pipelines = await files.pipelines();
    const failed = pipelines.errors[0];
    if (failed) return { data: null, error: toError(failed.error) };
    const params = await gatherParams(files, { depsOnly: opts.paramDeps, pipelines });
    const metrics = await gatherMetrics(files, [], { pipelines });
    const index = await depsAndOuts(files, pipelines.pipelines, await files.dvcFiles());
    const data: ExpData = {
      rev: files.commit ?? "workspace",
      timestamp,
      params: outcomes(params.files),
      metrics: outcomes(metrics.files),
      deps: index.deps,
      outs: index.outs,
      meta: {},
    };
    return { data, error: null };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { data: null, error: toError(err) };
  }
}
