// The run record of an experiment (`exp run`, `exp save`, a queue worker's run). A committed experiment's record
// becomes a git note on its commit (run-notes.ts), so `exp push`/`exp pull` carry it; a run that committed
// nothing (a failed or killed experiment) is kept locally in `.dvc/tmp/runs/<id>.json` like a repro's.
//
// THE hook for every executor: after an experiment finishes (or fails), call
//
//   recordExperimentRun(repo, { command, start, result | error, name?, localRecords? })
//
// with `start` from `startRun(repo)` taken as the experiment began (`await start.git` before prepare changes the
// work tree, so the record lists the uncommitted changes it started from). `repo` is the work tree the
// experiment ran in (its params, metrics and dvc.lock are read there); `localRecords` is the repository whose
// `.dvc/tmp/runs/` keeps a record that has no commit to annotate (a queue passes the main workspace's repo, as its
// own work tree goes away).
import type { ReproResult } from "../ops/repro.js";
import { gitPlace } from "../exp/collect.js";
import type { Repo } from "../repo.js";
import { buildRunRecord, type RunStart } from "./build-record.js";
import { saveRunRecord, type RunRecord } from "./record.js";
import { addRunNote, RUN_NOTES_REF } from "./run-notes.js";

/** What an experiment produced (ExperimentResult and ExpSaveResult both are). */
export interface ExperimentOutcome {
  name: string;
  ref: string;
  commit: string;
  baseline: string;
  expHash: string;
  /** repro's result (none for `exp save`). */
  repro?: ReproResult;
}

export interface ExperimentRunInput {
  /** The command line, e.g. "dvx exp run -S train.lr=0.1". */
  command: string;
  start: RunStart;
  result?: ExperimentOutcome;
  /** What stopped the experiment (runExperiment's errors carry repro's `result` and the `experimentName`). */
  error?: unknown;
  /** The experiment's name, when it failed before one was picked (default "experiment"). */
  name?: string;
  /** Where a record without a commit is kept (default: `repo`). */
  localRecords?: Repo;
}

export interface RecordedExperimentRun {
  record: RunRecord;
  /** The note written on the experiment commit. */
  note?: { ref: string; commit: string };
  /** The local file of a record without a commit. */
  file?: string;
}

export async function recordExperimentRun(repo: Repo, input: ExperimentRunInput): Promise<RecordedExperimentRun> {
  const res = input.result;
  const failedName = (input.error as { experimentName?: unknown } | undefined)?.experimentName;
  const name = res?.name ?? (typeof failedName === "string" ? failedName : (input.name ?? "experiment"));
  const baseline = res?.baseline ?? (await input.start.git).commit ?? "";
  const record = await buildRunRecord(repo, {
    kind: "experiment",
    command: input.command,
    start: input.start,
    name,
    ...(res?.repro ? { result: res.repro } : {}),
    ...(input.error !== undefined ? { error: input.error } : {}),
    experiment: res ? { name, baseline, ref: res.ref, commit: res.commit, expHash: res.expHash } : { name, baseline },
  });
  if (!res) return { record, file: await saveRunRecord(input.localRecords ?? repo, record) };
  const { gitRoot } = await gitPlace(repo);
  await addRunNote(gitRoot, repo.env, res.commit, record);
  return { record, note: { ref: RUN_NOTES_REF, commit: res.commit } };
}
