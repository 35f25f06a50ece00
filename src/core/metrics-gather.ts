// What one revision holds for `metrics show/diff` and `params show/diff`: each file's data, or why it could
// not be read. Unreadable files are data (an error entry), so callers show the rest and warn.
import type { AppError } from "../errors.js";
import { extractMetrics, parseMetricsText, parseParamsText, selectParams } from "../metrics/read.js";
import { declaredMetrics, declaredParams, loadPipelinesAt, type PipelinesAt } from "./pipelines-at.js";
import { readParsed, type RevFiles } from "./rev-files.js";

/** A JSON-safe error: the code to branch on and the message to show. */
export interface FileError {
  code: string;
  message: string;
}

export interface FileResult {
  path: string;
  /** The file's data: nested mappings of values (metrics: numbers, strings, booleans), or one value. */
  data?: unknown;
  error?: FileError;
}

export interface RevData {
  /** "workspace" or the revision as typed. */
  label: string;
  files: FileResult[];
  /** dvc.yaml files that could not be loaded (the files they declare are missing from `files`). */
  errors: Array<{ path: string; error: FileError }>;
}

export const toFileError = (e: AppError): FileError => ({ code: e.code, message: e.message });

/** Reads and parses each file (`parse` may be shared between revisions with the same bytes; `post` is not). */
async function readEach<T>(
  files: RevFiles,
  paths: readonly string[],
  kind: string,
  parse: (text: string, path: string) => T,
  post: (parsed: T, path: string) => unknown = (v) => v,
): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const path of paths) {
    const r = await readParsed(files, path, kind, parse);
    out.push(r.ok ? { path, data: post(r.value, path) } : { path, error: toFileError(r.error) });
  }
  return out;
}

const parseMetrics = (text: string, path: string): unknown => extractMetrics(parseMetricsText(text, path));

/**
 * The metrics of one revision: `targets` (repo-relative, in the order given) when there are any, else the
 * metrics files its dvc.yaml files declare. Directories are expanded to the files inside.
 */
export async function gatherMetrics(
  files: RevFiles,
  targets: readonly string[] = [],
  opts: { pipelines?: PipelinesAt } = {},
): Promise<RevData> {
  let paths: readonly string[] = targets;
  const errors: RevData["errors"] = [];
  if (targets.length === 0) {
    const loaded = opts.pipelines ?? (await loadPipelinesAt(files));
    errors.push(...loaded.errors.map((e) => ({ path: e.path, error: toFileError(e.error) })));
    paths = declaredMetrics(loaded.pipelines);
  }
  const expanded = new Set<string>();
  for (const p of paths) {
    const found = await files.expand(p);
    for (const f of found.length > 0 ? found : [p]) expanded.add(f); // a missing path is read for its error
  }
  const results = await readEach(files, [...expanded], "metrics", parseMetrics);
  return { label: files.label, files: results, errors };
}

/**
 * The params of one revision: whole `targets` files when given, else what the stages track (keys only, or
 * whole files), top-level `params` and the root params.yaml (these two not with `depsOnly`).
 */
export async function gatherParams(
  files: RevFiles,
  opts: { targets?: readonly string[]; depsOnly?: boolean; pipelines?: PipelinesAt } = {},
): Promise<RevData> {
  const errors: RevData["errors"] = [];
  let wanted: Map<string, string[] | null>;
  if (opts.targets && opts.targets.length > 0) wanted = new Map(opts.targets.map((t) => [t, null]));
  else {
    const loaded = opts.pipelines ?? (await loadPipelinesAt(files));
    errors.push(...loaded.errors.map((e) => ({ path: e.path, error: toFileError(e.error) })));
    wanted = await declaredParams(files, loaded.pipelines, opts.depsOnly === true);
  }
  const results = await readEach(files, [...wanted.keys()], "params", parseParamsText, (data, path) =>
    selectParams(data, wanted.get(path) ?? null),
  );
  return { label: files.label, files: results, errors };
}
