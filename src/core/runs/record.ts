// Run records (MLflow Tracking's idea, kept beside the repository): what produced a result. Each `repro` (and
// each experiment) records its id, name, status, times, the git commit and uncommitted files, the command
// line, user and host, params, metrics, every stage's action, time and exit code, the output hashes, and the
// environment (dvx, Node, git and OS versions, CPUs, hashes of the dependency lockfiles present). Records of
// plain repro runs stay local: `.dvc/tmp/runs/<id>.json` (DVC ignores .dvc/tmp).
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, promises as fs, readdirSync } from "node:fs";
import { availableParallelism, hostname, platform, release, userInfo } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { dvxVersion } from "../../version.js";
import type { Repo } from "../repo.js";

export type RunStatus = "finished" | "failed" | "killed";

export interface StageRecord {
  stage: string;
  action: string;
  durationMs: number;
  exitCode?: number | null;
  error?: string;
}

export interface RunRecord {
  id: string;
  name: string;
  kind: "repro" | "experiment";
  status: RunStatus;
  started: string;
  ended: string;
  durationMs: number;
  git: { commit: string | null; branch: string | null; dirty: boolean; changed: string[] };
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
  /** Experiment runs: the experiment's name and commit. */
  experiment?: { name: string; ref: string; commit: string; baseline: string };
}

const LOCKFILES = [
  /^package-lock\.json$/,
  /^npm-shrinkwrap\.json$/,
  /^yarn\.lock$/,
  /^pnpm-lock\.yaml$/,
  /^requirements.*\.txt$/,
  /^poetry\.lock$/,
  /^uv\.lock$/,
  /^Pipfile\.lock$/,
  /^environment\.ya?ml$/,
  /^conda-lock\.ya?ml$/,
  /^Cargo\.lock$/,
  /^go\.sum$/,
  /^renv\.lock$/,
];

/** `git <args>` in `cwd`: stdout, or null when git is missing or fails. */
export function gitOutput(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) =>
    execFile("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => resolve(err ? null : stdout)),
  );
}

export const newRunId = (now = new Date()): string =>
  `${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`;

async function lockfileHashes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root).sort()) {
    if (!LOCKFILES.some((re) => re.test(name))) continue;
    const data = await fs.readFile(join(root, name)).catch(() => null);
    if (data) out[name] = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  }
  return out;
}

/** The git commit, branch and uncommitted files of the workspace (system git; nulls without it). */
export async function gitState(root: string): Promise<RunRecord["git"]> {
  const [commit, branch, status] = await Promise.all([
    gitOutput(root, ["rev-parse", "--verify", "-q", "HEAD"]),
    gitOutput(root, ["symbolic-ref", "-q", "--short", "HEAD"]),
    // no optional locks: a stage command running git at the same moment must not find index.lock taken
    gitOutput(root, ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=normal"]),
  ]);
  const changed = (status ?? "")
    .split("\0")
    .filter((l) => l.length > 3)
    .map((l) => l.slice(3))
    .filter((p) => !p.startsWith(".dvc/tmp"));
  return { commit: commit?.trim() || null, branch: branch?.trim() || null, dirty: changed.length > 0, changed };
}

export async function environmentFacts(root: string): Promise<RunRecord["environment"]> {
  const git = await gitOutput(root, ["--version"]);
  return {
    dvx: dvxVersion(),
    node: process.versions.node,
    git: git?.trim().replace(/^git version /, "") ?? null,
    os: `${platform()} ${release()}`,
    cpus: availableParallelism(),
    lockfiles: await lockfileHashes(root),
  };
}

export function userAndHost(): { user: string; host: string } {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry for this uid (containers): keep "unknown"
  }
  return { user, host: hostname() };
}

export const runRecordsDir = (repo: Repo): string => join(repo.tmpDir, "runs");

export async function saveRunRecord(repo: Repo, record: RunRecord): Promise<string> {
  const file = join(runRecordsDir(repo), `${record.id}.json`);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** Every local run record, newest first; unreadable files are skipped. */
export async function loadRunRecords(repo: Repo): Promise<RunRecord[]> {
  const dir = runRecordsDir(repo);
  if (!existsSync(dir)) return [];
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith(".json"));
  const records: RunRecord[] = [];
  for (const n of names) {
    try {
      records.push(JSON.parse(await fs.readFile(join(dir, n), "utf8")) as RunRecord);
    } catch {
      // a torn or foreign file: not a record
    }
  }
  return records.sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : 0));
}
