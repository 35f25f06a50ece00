// What one revision holds for `metrics show/diff` and `params show/diff`: each file's data, or why it could
// not be read. Unreadable files are data (an error entry), so callers show the rest and warn.
import { AppError } from "../errors.js";
import { extractMetrics, parseMetricsText, parseParamsText, selectParams } from "../metrics/read.js";
import { declaredMetrics, declaredParams, loadPipelinesAt } from "./pipelines-at.js";
import type { RevFiles } from "./rev-files.js";

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

async function readEach(
  files: RevFiles,
  paths: readonly string[],
  parse: (text: string, path: string) => unknown,
): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const path of paths) {
    const r = await files.read(path);
    if (!r.ok) {
      out.push({ path, error: toFileError(r.error) });
      continue;
    }
    try {
      out.push({ path, data: parse(r.bytes.toString("utf8"), path) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.push({ path, error: toFileError(err) });
    }
  }
  return out;
}

/**
 * The metrics of one revision: `targets` (repo-relative, in the order given) when there are any, else the
 * metrics files its dvc.yaml files declare. Directories are expanded to the files inside.
 */
export async function gatherMetrics(files: RevFiles, targets: readonly string[] = []): Promise<RevData> {
  let paths: readonly string[] = targets;
  const errors: RevData["errors"] = [];
  if (targets.length === 0) {
    const loaded = await loadPipelinesAt(files);
    errors.push(...loaded.errors.map((e) => ({ path: e.path, error: toFileError(e.error) })));
    paths = declaredMetrics(loaded.pipelines);
  }
  const expanded = new Set<string>();
  for (const p of paths) {
    const found = await files.expand(p);
    for (const f of found.length > 0 ? found : [p]) expanded.add(f); // a missing path is read for its error
  }
  const results = await readEach(files, [...expanded], (text, path) => extractMetrics(parseMetricsText(text, path)));
  return { label: files.label, files: results, errors };
}

/**
 * The params of one revision: whole `targets` files when given, else what the stages track (keys only, or
 * whole files), top-level `params` and the root params.yaml (these two not with `depsOnly`).
 */
export async function gatherParams(
  files: RevFiles,
  opts: { targets?: readonly string[]; depsOnly?: boolean } = {},
): Promise<RevData> {
  const errors: RevData["errors"] = [];
  let wanted: Map<string, string[] | null>;
  if (opts.targets && opts.targets.length > 0) wanted = new Map(opts.targets.map((t) => [t, null]));
  else {
    const loaded = await loadPipelinesAt(files);
    errors.push(...loaded.errors.map((e) => ({ path: e.path, error: toFileError(e.error) })));
    wanted = await declaredParams(files, loaded.pipelines, opts.depsOnly === true);
  }
  const results = await readEach(files, [...wanted.keys()], (text, path) =>
    selectParams(parseParamsText(text, path), wanted.get(path) ?? null),
  );
  return { label: files.label, files: results, errors };
}
