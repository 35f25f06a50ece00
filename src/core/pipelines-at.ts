// The pipelines (dvc.yaml files, resolved) of one revision, and what they declare as metrics and params
// files, in a deterministic order: the root dvc.yaml first, then the others by path; stage by stage as
// written, then the top-level section (docs/formats.md §10.2; DVC's own order varies from run to run).
import { posix } from "node:path";
import { AppError } from "../errors.js";
import type { TreeReader } from "../git/tree-reader.js";
import type { Pipeline } from "../pipeline/types.js";
import { compareCodePoints } from "../util/py-json.js";
import type { RevFiles } from "./rev-files.js";

export interface PipelinesAt {
  pipelines: Pipeline[];
  /** dvc.yaml files that could not be loaded at that revision. */
  errors: Array<{ path: string; error: AppError }>;
}

const DEFAULT_PARAMS = "params.yaml";
const byRootFirst = (a: string, b: string): number =>
  a === "dvc.yaml" ? -1 : b === "dvc.yaml" ? 1 : compareCodePoints(a, b);

async function dvcYamlPaths(files: RevFiles): Promise<string[]> {
  // the workspace walk prunes tracked directories and honours .dvcignore; a git tree is listed as it is
  const paths =
    files.commit === null
      ? (await files.outputs()).pipelines
      : await files.reader.listFiles((p) => posix.basename(p) === "dvc.yaml");
  return [...paths].sort(byRootFirst);
}

/** How to find and load the dvc.yaml files (callers comparing many revisions pass memoised ones). */
export interface LoadPipelinesOptions {
  /** Every dvc.yaml of the revision (sorted here), instead of a search of its tree. */
  paths?: readonly string[];
  load?: (reader: TreeReader, path: string) => Promise<Pipeline>;
}

export async function loadPipelinesAt(files: RevFiles, opts: LoadPipelinesOptions = {}): Promise<PipelinesAt> {
  const load = opts.load ?? (await import("../pipeline/load.js")).loadPipeline;
  const out: PipelinesAt = { pipelines: [], errors: [] };
  const paths = opts.paths ? [...opts.paths].sort(byRootFirst) : await dvcYamlPaths(files);
  for (const path of paths) {
    try {
      out.pipelines.push(await load(files.reader, path));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.errors.push({ path, error: err });
    }
  }
  return out;
}

/** Stage metrics outputs, then top-level `metrics`, without repeats. */
export function declaredMetrics(pipelines: readonly Pipeline[]): string[] {
  const out = new Set<string>();
  for (const p of pipelines) {
    for (const s of p.stages) for (const o of s.outs) if (o.kind === "metrics") out.add(o.path);
    for (const m of p.metrics) out.add(m);
  }
  return [...out];
}

/**
 * Params files and the keys tracked in each (null = the whole file), as DVC's _collect_params merges them:
 * stage params first, then (unless `depsOnly`) top-level `params` and the root params.yaml when it exists.
 * A file tracked whole anywhere is read whole.
 */
export async function declaredParams(
  files: RevFiles,
  pipelines: readonly Pipeline[],
  depsOnly: boolean,
): Promise<Map<string, string[] | null>> {
  const out = new Map<string, string[] | null>();
  const add = (file: string, keys: readonly string[] | null): void => {
    const had = out.get(file);
    if (had === null) return;
    if (keys === null) out.set(file, null);
    else out.set(file, [...new Set([...(had ?? []), ...keys])]);
  };
  for (const p of pipelines) for (const s of p.stages) for (const dep of s.params) add(dep.file, dep.keys);
  if (!depsOnly) {
    for (const p of pipelines) for (const file of p.params) add(file, null);
    if (!out.has(DEFAULT_PARAMS) || out.get(DEFAULT_PARAMS) !== null) {
      if ((await files.reader.readFile(DEFAULT_PARAMS)) !== null) add(DEFAULT_PARAMS, null);
    }
  }
  return out;
}
