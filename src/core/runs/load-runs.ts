// Every run record dvx knows: the local ones (`.dvc/tmp/runs/*.json`: repro runs and experiments that committed
// nothing) and those of experiments (git notes under refs/notes/dvx-runs), newest first, one per id.
import { join, relative } from "node:path";
import { toPosix } from "../../fsx/paths.js";
import { findGitRoot } from "../../git/find-git-root.js";
import type { Repo } from "../repo.js";
import { byStartDesc, loadRunRecords, runRecordsDir, type RunRecord } from "./record.js";
import { readRunNotes, RUN_NOTES_REF } from "./run-notes.js";

/** Where a record is kept: a local file, or a git note on an experiment commit. */
export type RunSource = { type: "file"; path: string } | { type: "note"; ref: string; commit: string };

export interface KnownRun {
  record: RunRecord;
  source: RunSource;
}

export async function loadRuns(repo: Repo): Promise<KnownRun[]> {
  const dir = runRecordsDir(repo);
  const local: KnownRun[] = (await loadRunRecords(repo)).map((record) => ({
    record,
    source: { type: "file", path: toPosix(relative(repo.root, join(dir, `${record.id}.json`))) },
  }));
  const gitRoot = repo.scm ? await findGitRoot(repo.root) : null;
  const noted: KnownRun[] =
    gitRoot === null
      ? []
      : (await readRunNotes(gitRoot)).map(({ commit, record }) => ({
          record,
          source: { type: "note", ref: RUN_NOTES_REF, commit },
        }));
  const seen = new Set<string>();
  return [...noted, ...local]
    .filter((r) => !seen.has(r.record.id) && seen.add(r.record.id))
    .sort((a, b) => byStartDesc(a.record, b.record));
}
