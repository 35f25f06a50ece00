// What a change report holds (`dvx ci report`): the data core gathers and report-md.ts turns into Markdown.
import type { DiffRow } from "../metrics/diff.js";
import type { Direction, Verdict } from "../metrics/direction.js";
import type { RowDiff } from "./row-diff.js";

export interface ReportRev {
  /** The commit (full hash); null for a workspace in a repository without commits. */
  commit: string | null;
  /** Table header for this side: the short hash, or "workspace". */
  label: string;
  /** The workspace (uncommitted files included) rather than the commit alone. */
  workspace: boolean;
  /** How the revision was chosen, e.g. "the merge base of the pull request's base `main` and HEAD". */
  why?: string;
}

/** A file that could not be read on one side: its rows compare against nothing. */
export interface ReadProblem {
  rev: string;
  path: string;
  message: string;
}

export interface MetricRow extends DiffRow {
  direction?: Direction;
  verdict?: Verdict;
}

export interface TableSection<Row> {
  /** The files compared (declared, or named by --targets). */
  files: string[];
  rows: Row[];
  problems: ReadProblem[];
}

/** Why a changed file has no row counts. */
export type FileSkip =
  | { kind: "binary" }
  | { kind: "too-large"; size: number; limit: number }
  | { kind: "unavailable"; reason: string }
  | { kind: "not-compared" };

export interface FileChange {
  /** Repo-relative; for a rename, the new path (`from` is the old one). */
  path: string;
  from?: string;
  status: "added" | "deleted" | "modified" | "renamed";
  rows?: RowDiff;
  skip?: FileSkip;
}

export interface OutputChange {
  /** The tracked output (a file or a directory), repo-relative. */
  output: string;
  isDir: boolean;
  counts: Record<FileChange["status"], number>;
  /** The changed files, in path order (at most the first `maxListed` of them; `unlisted` counts the rest). */
  files: FileChange[];
  unlisted: number;
}

export interface DataSection {
  /** Tracked outputs at either revision. */
  outputCount: number;
  outputs: OutputChange[];
  /** Size limit for row comparisons, bytes. */
  textLimit: number;
  problems: string[];
}

/** The plots section: Markdown from `dvx plots diff --md`, or why there is none. */
export type PlotsSection = { kind: "markdown"; markdown: string } | { kind: "none" };

export interface RunStage {
  stage: string;
  action: string;
  durationMs: number;
}

export interface RunSection {
  id: string;
  status: string;
  started: string;
  durationMs: number;
  /** The commit the run started from (null before the first commit). */
  commit: string | null;
  stages: RunStage[];
}

export interface ReportData {
  name: string;
  /** Repo-relative paths the report is limited to (none: everything). */
  targets: string[];
  base: ReportRev;
  head: ReportRev;
  metrics: TableSection<MetricRow>;
  params: TableSection<DiffRow>;
  data: DataSection;
  /** null: the plots section is left out. */
  plots: PlotsSection | null;
  /** The newest `dvx repro` run record, or null when there is none. */
  run: RunSection | null;
}
