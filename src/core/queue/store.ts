// The experiment queue on disk (docs/queue.md), all under .dvc/tmp/dvx-queue/ (DVC ignores .dvc/tmp):
//
//   tasks/<id>/task.json     what to run (written once by `exp run --queue`): name, baseline, the stash commit, flags
//   tasks/<id>/state.json    where it is: queued | running | success | failed, with times, worker and outcome
//                            (written by the runner, or by whoever reconciles after a runner died); none = queued
//   tasks/<id>/result.json   what the worker process says it produced (written by the worker itself)
//   tasks/<id>/output.log    the worker's stdout and stderr (the stages' output), kept after it ends
//   tasks/<id>/kill          `dvx queue kill` asked for this task to end (the runner then marks it failed, killed)
//   wt/<id>/                 the task's git worktree while it runs (removed after)
//   dvx.lock                 the state lock: held briefly by whoever changes entries (add, claim, finish, remove)
//   runner/dvx.lock          held by the one `dvx queue start` running the queue (pid, command)
//   stop                     `dvx queue stop` asked the runner to start nothing new
//
// The files each task starts from live in git, as a commit under refs/dvx/queue/<id> (outside refs/exps/, which
// is all DVC reads).
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../errors.js";
import { QueueEntryAmbiguousError, QueueEntryNotFoundError } from "../../exp/queue-errors.js";
import { errCode, writeFileAtomic } from "../../fsx/atomic.js";
import { acquireLock } from "../lock.js";
import type { Repo } from "../repo.js";

export type QueueStatus = "queued" | "running" | "success" | "failed";

/** The repro flags a queued experiment runs with. */
export interface QueuedRepro {
  targets: string[];
  single?: boolean;
  recursive?: boolean;
  allPipelines?: boolean;
  downstream?: boolean;
  pull?: boolean;
  allowMissing?: boolean;
  noRunCache?: boolean;
}

export interface QueueTask {
  id: string;
  name: string;
  baseline: string;
  /** Commit whose tree is the tracked files to start from (-S applied); its 2nd parent, if any, the untracked. */
  stash: string;
  /** refs/dvx/queue/<id>, pointing at `stash`. */
  ref: string;
  /** The DVC project inside the git work tree ("" or "sub/") and where the run starts (repo-relative, "" = root). */
  prefix: string;
  cwd: string;
  /** The -S overrides as given (one combination of a sweep), for display. */
  params: string[];
  force: boolean;
  message?: string;
  repro: QueuedRepro;
  created: string;
}

export interface TaskError {
  code: string;
  message: string;
  hint?: string;
}

/** A thrown error as a task's error record. */
export const errorOf = (e: unknown): TaskError =>
  e instanceof AppError
    ? { code: e.code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) }
    : { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };

export interface TaskState {
  status: QueueStatus;
  /** How many times a runner started it. */
  attempt: number;
  started?: string;
  ended?: string;
  /** The runner process that runs it. */
  runner?: { pid: number; host: string };
  /** The executor's handle on the running work (local: the worker's pid and worktree). */
  worker?: Record<string, unknown>;
  experiment?: { ref: string; commit: string; expHash?: string };
  error?: TaskError;
  /** It ended because `dvx queue kill` / `queue stop --kill` asked it to. */
  killed?: boolean;
}

/** What the worker process writes to result.json when it ends (however it ends, short of being killed). */
export type WorkerResult = { started: string; ended: string } & (
  | { status: "success"; experiment: { ref: string; commit: string; expHash: string } }
  | { status: "failed"; error: TaskError }
);

export interface QueueEntry {
  task: QueueTask;
  state: TaskState;
  dir: string;
}

export const QUEUE_REF_PREFIX = "refs/dvx/queue/";
export const queueDir = (repo: Repo): string => join(repo.tmpDir, "dvx-queue");
export const tasksDir = (repo: Repo): string => join(queueDir(repo), "tasks");
export const taskDir = (repo: Repo, id: string): string => join(tasksDir(repo), id);
export const worktreesDir = (repo: Repo): string => join(queueDir(repo), "wt");
export const runnerLockDir = (repo: Repo): string => join(queueDir(repo), "runner");
export const stopFile = (repo: Repo): string => join(queueDir(repo), "stop");
export const logFile = (dir: string): string => join(dir, "output.log");
export const resultFile = (dir: string): string => join(dir, "result.json");
export const killFile = (dir: string): string => join(dir, "kill");

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch (e) {
    if (errCode(e) === "ENOENT" || e instanceof SyntaxError) return null;
    throw e;
  }
}

export const writeJson = (file: string, value: unknown): Promise<void> =>
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");

export const readResult = <T>(dir: string): Promise<T | null> => readJson<T>(resultFile(dir));

export async function writeTask(repo: Repo, task: QueueTask): Promise<string> {
  const dir = taskDir(repo, task.id);
  await writeJson(join(dir, "task.json"), task);
  return dir;
}

export const writeState = (dir: string, state: TaskState): Promise<void> => writeJson(join(dir, "state.json"), state);

/** Every entry, oldest first (ids sort by creation time). A directory without a readable task.json is skipped. */
export async function listEntries(repo: Repo): Promise<QueueEntry[]> {
  let ids: string[];
  try {
    ids = (await fs.readdir(tasksDir(repo))).filter((n) => !n.startsWith("."));
  } catch (e) {
    if (errCode(e) === "ENOENT") return [];
    throw e;
  }
  const out: QueueEntry[] = [];
  for (const id of ids.sort()) {
    const dir = taskDir(repo, id);
    const task = await readJson<QueueTask>(join(dir, "task.json"));
    if (task === null) continue;
    const state = (await readJson<TaskState>(join(dir, "state.json"))) ?? { status: "queued", attempt: 0 };
    out.push({ task, state, dir });
  }
  return out;
}

/** The entries `names` stand for (a name, or a task id or its unique prefix); all or nothing. */
export function resolveEntries(entries: QueueEntry[], names: readonly string[]): QueueEntry[] {
  const missing: string[] = [];
  const out = new Map<string, QueueEntry>();
  for (const name of names) {
    let hits = entries.filter((e) => e.task.name === name);
    if (hits.length === 0 && name.length >= 4) hits = entries.filter((e) => e.task.id.startsWith(name));
    if (hits.length > 1)
      throw new QueueEntryAmbiguousError(
        name,
        hits.map((e) => e.task.id),
      );
    if (hits[0]) out.set(hits[0].task.id, hits[0]);
    else missing.push(name);
  }
  if (missing.length > 0) throw new QueueEntryNotFoundError(missing);
  return [...out.values()];
}

/** Runs `fn` holding the queue's state lock (short: entries are read, changed and written under it). */
export async function withQueueLock<T>(repo: Repo, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(queueDir(repo), what, repo.lockTimeoutMs);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
