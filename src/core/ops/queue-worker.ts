// dvx queue worker --task <dir> (hidden; started by the local executor, docs/queue.md): runs one queued experiment
// in its worktree. The repository is opened there (the worktree's own .dvc, whose config.local points at the
// shared cache); the data the pipeline starts from is checked out from that cache, then runExperiment does what
// `exp run` does (repro, commit, ref: the ref lands in the shared git directory). Whatever happens, result.json says
// how it ended, for the runner's collect step; the stages' output goes to stdout/stderr (the task's log).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { QueueWorkspaceError } from "../../exp/queue-errors.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { shellJoin } from "../../util/shell-quote.js";
import { runExperiment, type ExperimentResult } from "../exp/run-experiment.js";
import { startRun } from "../runs/build-record.js";
import { recordExperimentRun } from "../runs/exp-record.js";
import { withLock } from "../lock.js";
import { errorOf, resultFile, type QueueTask, type WorkerResult } from "../queue/store.js";
import type { Repo } from "../repo.js";
import { checkoutOp } from "./checkout.js";

export interface QueueWorkerOptions {
  /** Where the run starts (inside the worktree). */
  cwd: string;
  taskDir: string;
  say: (line: string) => void;
  signal?: AbortSignal;
}

export async function queueWorkerOp(repo: Repo, opts: QueueWorkerOptions): Promise<WorkerResult> {
  const started = new Date().toISOString();
  const task = JSON.parse(await readFile(path.join(opts.taskDir, "task.json"), "utf8")) as QueueTask;
  let result: WorkerResult;
  const start = startRun(repo);
  await start.git; // before the checkout and -S change the work tree
  let outcome: { result: ExperimentResult } | { error: unknown };
  try {
    // the repository must be the worktree's (a worktree without .dvc would find the main one further up)
    if (path.join(repo.root, ...task.cwd.split("/").filter(Boolean)) !== path.resolve(opts.cwd))
      throw new QueueWorkspaceError(task.name, `the worktree has no DVC project at '${task.prefix || "."}'`);
    const res = await withLock(repo, "dvx queue worker", async () => {
      const co = await checkoutOp(repo, { cwd: repo.root, targets: [], noLock: true });
      for (const f of co.failed)
        opts.say(`warning: '${f.path}' is not in the cache (${f.missing} object(s) missing)\n`);
      return runExperiment(repo, {
        cwd: opts.cwd,
        baseline: task.baseline,
        name: task.name,
        force: task.force,
        ...(task.message !== undefined ? { message: task.message } : {}),
        repro: {
          ...task.repro,
          output: () => ({ kind: "inherit" }),
          say: (_address, line) => opts.say(`${line}\n`),
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
      });
    });
    outcome = { result: res };
    const experiment = { ref: res.ref, commit: res.commit, expHash: res.expHash };
    result = { status: "success", experiment, started, ended: new Date().toISOString() };
  } catch (e) {
    outcome = { error: e };
    result = { status: "failed", error: errorOf(e), started, ended: new Date().toISOString() };
  }
  await writeFileAtomic(resultFile(opts.taskDir), JSON.stringify(result, null, 2) + "\n");
  // the run record: a git note on the experiment commit, or (failed) a local record in the main workspace's
  // .dvc/tmp/runs, as this worktree goes away (taskDir is <main .dvc/tmp>/dvx-queue/tasks/<id>)
  const mainTmp = path.dirname(path.dirname(path.dirname(opts.taskDir)));
  const command = shellJoin([
    "dvx",
    "exp",
    "run",
    "--queue",
    ...task.params.flatMap((p) => ["-S", p]),
    "-n",
    task.name,
  ]);
  try {
    await recordExperimentRun(repo, {
      command,
      start,
      name: task.name,
      localRecords: { ...repo, tmpDir: mainTmp },
      ...outcome,
    });
  } catch (e) {
    opts.say(`warning: the run record was not written: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  return result;
}
