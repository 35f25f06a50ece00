// The local executor (the interface is in executor.ts): a git worktree per task and a dvx worker process in it.
// The worker (`dvx queue worker --task <dir>`, cwd = where the run starts in the worktree) runs detached in its own
// process group with its stdout and stderr in the task's output.log, and DVX_QUEUE_TASK=<token> in its environment
// so that what it leaves behind can be found (reap.ts). Stopping it: SIGTERM (the worker stops its stage the way
// Ctrl-C stops `dvx repro`), SIGKILL after KILL_AFTER_MS, then every process still carrying the token is killed.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import path from "node:path";
import { resolveRef } from "../../git/refs-store.js";
import { packagePath } from "../../version.js";
import { gitPlace } from "../exp/collect.js";
import type { Repo } from "../repo.js";
import type { Collected, Executor, Prepared, RunExit, TaskContext, WorkerHandle } from "./executor.js";
import { processAlive } from "../../util/process-alive.js";
import { isTaggedWorker, reapTagged, signalProcess, TASK_ENV } from "./reap.js";
import { readResult, worktreesDir, type QueueTask, type WorkerResult } from "./store.js";
import { createWorktree, removeWorktree, removeWorktreeSync } from "./worktree.js";

export const KILL_AFTER_MS = 10_000;

interface LocalHandle extends WorkerHandle {
  kind: "local";
  pid: number;
  token: string;
  worktree: string;
}

const asLocal = (h: WorkerHandle): LocalHandle => h as LocalHandle;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL if it still runs after `graceMs`; then whatever carries the token. */
async function stopWorker(h: LocalHandle, graceMs: number): Promise<void> {
  if (isTaggedWorker(h.pid, h.token)) {
    signalProcess(h.pid, "SIGTERM");
    for (const until = Date.now() + graceMs; processAlive(h.pid) && Date.now() < until;) await sleep(50);
    if (isTaggedWorker(h.pid, h.token)) signalProcess(h.pid, "SIGKILL");
  }
  reapTagged(h.token);
}

/** The command that starts dvx itself: this Node and the package's launcher. */
export const dvxCommand = (): string[] => [process.execPath, packagePath("bin/dvx.js")];

export function localExecutor(command: string[] = dvxCommand()): Executor {
  return {
    kind: "local",

    async prepare(task: QueueTask, ctx: TaskContext): Promise<Prepared> {
      const { gitRoot } = await gitPlace(ctx.repo);
      const workspace = path.join(worktreesDir(ctx.repo), task.id);
      const root = await createWorktree(ctx.repo, gitRoot, task, workspace);
      return { workspace, cwd: path.join(root, ...task.cwd.split("/").filter(Boolean)) };
    },

    async run(_task: QueueTask, prepared: Prepared, ctx: TaskContext): Promise<RunExit> {
      const token = `${path.basename(ctx.taskDir)}.${randomBytes(4).toString("hex")}`;
      const log = openSync(ctx.logFile, "w");
      let child;
      try {
        child = spawn(command[0]!, [...command.slice(1), "queue", "worker", "--task", ctx.taskDir], {
          cwd: prepared.cwd as string,
          env: { ...ctx.repo.env, [TASK_ENV]: token } as NodeJS.ProcessEnv,
          stdio: ["ignore", log, log],
          detached: true,
        });
      } finally {
        closeSync(log);
      }
      const exited = new Promise<RunExit>((resolve) => {
        child.once("error", () => resolve({ code: null, signal: null, aborted: ctx.signal.aborted }));
        child.once("exit", (code, signal) => resolve({ code, signal, aborted: ctx.signal.aborted }));
      });
      if (child.pid === undefined) return exited;
      const handle: LocalHandle = { kind: "local", pid: child.pid, token, worktree: prepared.workspace };
      const onAbort = (): void => void stopWorker(handle, KILL_AFTER_MS);
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      try {
        await ctx.onStarted(handle);
        if (ctx.signal.aborted) onAbort();
        return await exited;
      } finally {
        ctx.signal.removeEventListener("abort", onAbort);
        reapTagged(token); // the workspace goes away: nothing the experiment started may outlive it
      }
    },

    async collect(_task: QueueTask, _prepared: Prepared, exit: RunExit, ctx: TaskContext): Promise<Collected> {
      const result = await readResult<WorkerResult>(ctx.taskDir);
      if (result?.status === "success") {
        const { gitRoot } = await gitPlace(ctx.repo);
        if ((await resolveRef(gitRoot, result.experiment.ref)) === result.experiment.commit)
          return { status: "success", experiment: result.experiment };
        return {
          status: "failed",
          error: {
            code: "EXPERIMENT_REF_MISSING",
            message: `the worker reported ${result.experiment.ref}, which is gone`,
          },
        };
      }
      if (result?.status === "failed") return { status: "failed", error: result.error };
      const how = exit.signal !== null ? `was killed (${exit.signal})` : `exited with code ${exit.code ?? "?"}`;
      return {
        status: "failed",
        error: { code: "WORKER_DIED", message: `the worker process ${how} before it reported a result` },
      };
    },

    async cleanup(prepared: Prepared): Promise<void> {
      await removeWorktree(prepared.workspace);
    },

    async kill(handle: WorkerHandle): Promise<void> {
      await stopWorker(asLocal(handle), KILL_AFTER_MS);
    },

    alive(handle: WorkerHandle): boolean {
      return typeof handle.pid === "number" && isTaggedWorker(handle.pid, asLocal(handle).token);
    },

    abandon(task: QueueTask, repo: Repo, handle?: WorkerHandle): void {
      if (handle) {
        if (isTaggedWorker(asLocal(handle).pid, asLocal(handle).token)) signalProcess(asLocal(handle).pid, "SIGKILL");
        reapTagged(asLocal(handle).token);
      }
      removeWorktreeSync(path.join(worktreesDir(repo), task.id));
    },
  };
}
