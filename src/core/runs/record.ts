// Run records (MLflow Tracking's idea, kept beside the repository): what produced a result. Each `repro` (and
// each experiment) records its id, name, status, times, the git commit and uncommitted files, the command
// line, user and host, params, metrics, every stage's action, time and exit code, the output hashes, and the
// environment (dvx, Node, git and OS versions, CPUs, hashes of the dependency lockfiles present). Records of
// plain repro runs stay local: `.dvc/tmp/runs/<id>.json` (DVC ignores .dvc/tmp).
import { existsSync, promises as fs } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../fsx/atomic.js";
import type { Repo } from "../repo.js";

export type RunStatus = "finished" | "failed" | "killed";

export interface StageRecord {
  stage: string;
  /** "ran", "restored" (run cache), "checked out" (lock), "unchanged", "frozen", "failed", "interrupted", "not run". */
  action: string;
  durationMs: number;
  /** The command's exit code: 0 for a stage that ran, its code (null: killed by a signal) for one that failed. */
  exitCode?: number | null;
  signal?: string;
  error?: string;
}

export interface RunRecord {
  /** The record format's version. */
  version: 1;
  id: string;
  name: string;
  kind: "repro" | "experiment";
  status: RunStatus;
  started: string;
  ended: string;
  durationMs: number;
  /** When the run started: HEAD, its branch, whether the work tree had uncommitted changes and which (git-root
   * relative; at most 500, `changedTotal` counts them all when there were more). */
  git: { commit: string | null; branch: string | null; dirty: boolean; changed: string[]; changedTotal?: number };
  command: string;
  user: string;
  host: string;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  stages: StageRecord[];
  /** Output path → hash ("md5:<value>"), as dvc.lock records them after the run. */
  outputs: Record<string, string>;
  environment: {
    dvx: string;
    node: string;
    git: string | null;
    os: string;
    cpus: number;
    lockfiles: Record<string, string>;
  };
  /** Experiment runs: the experiment (ref, commit and hash only when it was committed). */
  experiment?: { name: string; baseline: string; ref?: string; commit?: string; expHash?: string };
  /** What stopped a run that did not return (its code and message). */
  error?: { code: string; message: string };
}

export const runRecordsDir = (repo: Repo): string => join(repo.tmpDir, "runs");

export async function saveRunRecord(repo: Repo, record: RunRecord): Promise<string> {
  const file = join(runRecordsDir(repo), `${record.id}.json`);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** A record from JSON text, or null when the text is not one (torn, foreign). */
export function parseRecord(text: string): RunRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null; // SyntaxError: not JSON
  }
  const r = v as Partial<RunRecord> | null;
  return r && typeof r === "object" && typeof r.id === "string" && typeof r.started === "string"
    ? (r as RunRecord)
    : null;
}

/** Newest first (by start time, then id). */
export const byStartDesc = (a: RunRecord, b: RunRecord): number =>
  a.started !== b.started ? (a.started < b.started ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Every local run record, newest first; unreadable files are skipped. */
export async function loadRunRecords(repo: Repo): Promise<RunRecord[]> {
  const dir = runRecordsDir(repo);
  if (!existsSync(dir)) return [];
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith(".json"));
  const records: RunRecord[] = [];
  for (const n of names) {
    const text = await fs.readFile(join(dir, n), "utf8").catch(() => ""); // removed meanwhile: skip it
    const record = parseRecord(text);
    if (record) records.push(record);
  }
  return records.sort(byStartDesc);
}
