// What `exp show` collects, in the shape of DVC's dvc/repo/experiments/serialize.py (ExpState, ExpRange,
// SerializableExp, ExpDep, ExpOut): field names and nesting are DVC's JSON contract, so they stay snake_case.
// Values are the parsed file values (PyFloat, bigint...); renderers turn them into JSON or table cells.

/** A metrics or params file: its data, or why it could not be read (DVC's FileResult). */
export interface FileOutcome {
  data?: unknown;
  error?: { code: string; message: string };
}

export interface ExpDep {
  hash: string | null;
  size: number | null;
  nfiles: number | null;
}

export interface ExpOut extends ExpDep {
  use_cache: boolean;
  is_data_source: boolean;
}

export interface ExpData {
  /** "workspace" or the commit. */
  rev: string;
  /** Committer time of the commit, seconds since the epoch; null for the workspace. */
  timestamp: number | null;
  params: Record<string, FileOutcome>;
  metrics: Record<string, FileOutcome>;
  deps: Record<string, ExpDep>;
  outs: Record<string, ExpOut>;
  meta: Record<string, unknown>;
}

/** A revision that could not be collected at all (e.g. an invalid dvc.yaml): DVC's SerializableError. */
export interface ExpError {
  msg: string;
  type: string;
}

export interface ExpState {
  /** "workspace", a baseline commit or an experiment commit. */
  rev: string;
  /** The branch/tag of a baseline, the name of an experiment; null otherwise. */
  name: string | null;
  data: ExpData | null;
  error: ExpError | null;
  /** A baseline's experiments, newest first; null when it has none (and for the workspace). */
  experiments: ExpRange[] | null;
}

/** Where a queued, running or failed experiment is (DVC's LocalExpExecutor). */
export interface LocalExpExecutor {
  root: string | null;
  log: string | null;
  pid: number | null;
  returncode: number | null;
  task_id: string | null;
}

/** DVC's ExpExecutor: the state of an experiment that has a queue entry. */
export interface ExpExecutor {
  state: "success" | "queued" | "running" | "failed";
  name: string | null;
  local: LocalExpExecutor | null;
}

/** One experiment: its commit first (legacy checkpoint experiments have more). */
export interface ExpRange {
  revs: ExpState[];
  /** Set for the entries of the queue (queued, running, failed); null for an experiment's ref. */
  executor: ExpExecutor | null;
  name: string | null;
}
