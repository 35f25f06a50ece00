// Where and how one queued experiment runs: the executor interface. The queue runner (runner.ts) decides what runs
// when, records states, honours kill/stop requests and Ctrl-C; an executor only knows how to run one task:
//
//   prepare(task, ctx)          → Prepared   make an isolated workspace holding the task's starting state (the
//                                            stash commit: baseline + tracked files with -S applied + untracked
//                                            files) with access to the shared cache; nothing runs yet
//   run(prepared, ctx)          → RunExit    run the experiment there (runExperiment: repro + commit + ref) to its
//                                            end; ctx.onStarted(handle) is called once something is running that
//                                            kill() can reach; the output goes to ctx.logFile; ctx.signal aborting
//                                            means "stop now" (Ctrl-C, queue stop --kill): end the work, then resolve
//   collect(prepared, exit, ctx)→ Collected  what came of it, in the main repository's terms: the experiment ref
//                                            and commit (which must exist there), or the failure (code, message)
//   cleanup(prepared)                        remove the workspace; called once after every prepare that returned,
//                                            whatever happened next (a prepare that fails cleans up after itself)
//   kill(handle)                             from another process (`dvx queue kill`): end the work `handle` names
//   alive(handle)                            whether that work still runs (to reconcile after a runner died)
//   abandon(task, repo, handle?)             synchronous: kill what still runs of the task and remove its workspace
//                                            (the runner exits at once on a second Ctrl-C; a runner that died
//                                            left it behind)
//
// The one implementation is local-executor.ts: a git worktree under .dvc/tmp/dvx-queue/wt/<id> and a dvx worker
// process (`dvx queue worker`, hidden) that opens the repository there and calls runExperiment, writing the ref
// into the shared git directory and outputs into the shared cache. A cluster executor (Kubernetes Jobs, say) would
// implement the same five steps: prepare = push the stash commit (and data) where the cluster can fetch it and
// describe a Job; run = create the Job, watch it, stream its log into ctx.logFile; collect = fetch the ref it
// pushed (and its data) into the main repository; cleanup = delete the Job; kill = delete it early; its handle is
// the Job's name. Handles are plain JSON: they are stored in the task's state.json for other processes.
import type { Repo } from "../repo.js";
import type { QueueTask, TaskError } from "./store.js";

export type WorkerHandle = Record<string, unknown> & { kind: string };

export interface TaskContext {
  /** The main repository (its git directory receives the experiment ref; its cache is shared). */
  repo: Repo;
  /** The task's directory under .dvc/tmp/dvx-queue/tasks/ (its log and result live there). */
  taskDir: string;
  logFile: string;
  /** Aborts when the task must stop now (Ctrl-C of the runner, `queue stop --kill`). */
  signal: AbortSignal;
  /** Called once the work runs and can be reached by kill(); the runner records the handle. */
  onStarted(handle: WorkerHandle): Promise<void>;
}

export interface Prepared {
  /** Whatever the executor needs to run and clean up (e.g. the worktree path). */
  workspace: string;
  [key: string]: unknown;
}

export interface RunExit {
  /** The worker's exit code (null when a signal ended it). */
  code: number | null;
  signal: string | null;
  /** Stopped because ctx.signal aborted. */
  aborted: boolean;
}

export type Collected =
  | { status: "success"; experiment: { ref: string; commit: string; expHash?: string } }
  | { status: "failed"; error: TaskError };

export interface Executor {
  readonly kind: string;
  prepare(task: QueueTask, ctx: TaskContext): Promise<Prepared>;
  run(task: QueueTask, prepared: Prepared, ctx: TaskContext): Promise<RunExit>;
  collect(task: QueueTask, prepared: Prepared, exit: RunExit, ctx: TaskContext): Promise<Collected>;
  cleanup(prepared: Prepared): Promise<void>;
  kill(handle: WorkerHandle): Promise<void>;
  alive(handle: WorkerHandle): boolean;
  abandon(task: QueueTask, repo: Repo, handle?: WorkerHandle): void;
}
