// dvx queue start/status/logs/remove/kill/stop (and the hidden worker), plus what `exp run --queue/--run-all`
// share with them (docs/queue.md). The queue's logic is in core/queue/; this file maps flags and prints.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { QueuedRepro } from "../core/queue/store.js";
import type { Repo } from "../core/repo.js";
import { EXIT } from "../errors.js";
import { examples, openRepoFor, parseJobs, say } from "./common.js";

const render = () => import("../cli/render/queue.js");

/** exp run --queue: adds the experiment(s) (one per sweep combination). */
export async function queueExperiments(
  ctx: CliContext,
  repo: Repo,
  o: { setParam: string[]; name?: string; force?: boolean; message?: string; json: boolean; repro: QueuedRepro },
): Promise<unknown> {
  const { parseSetParams } = await import("../core/exp/set-params.js");
  const { queueAddOp } = await import("../core/ops/queue-add.js");
  const res = await queueAddOp(repo, {
    cwd: ctx.flags.cwd,
    setParams: parseSetParams(o.setParam, true),
    force: o.force === true,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.message !== undefined ? { message: o.message } : {}),
    repro: o.repro,
  });
  if (!o.json) say(ctx, (await render()).queueAddText(res));
  return res;
}

/** queue start / exp run --run-all: runs the queue in this process until it is empty (Ctrl-C stops it). */
export async function runQueued(ctx: CliContext, repo: Repo, jobs: number, json: boolean): Promise<unknown> {
  const { queueStartOp } = await import("../core/ops/queue-start.js");
  const { logFile, taskDir } = await import("../core/queue/store.js");
  const r = await render();
  const logOf = (id: string): string => logFile(taskDir(repo, id)).slice(repo.root.length + 1);
  const run = (signal?: AbortSignal) =>
    queueStartOp(repo, {
      jobs,
      ...(signal ? { signal } : {}),
      report: (e) => (json ? undefined : say(ctx, r.runnerEventText(e, logOf))),
    });
  const res = ctx.io.interruptible ? await ctx.io.interruptible(run) : await run();
  if (res.interrupted) ctx.exitCode = EXIT.interrupted;
  else if (res.ran.some((x) => x.state.status === "failed")) ctx.exitCode = EXIT.failed;
  if (!json) say(ctx, r.queueRunSummary(res));
  return res;
}

interface RemoveFlags {
  all?: boolean;
  queued?: boolean;
  success?: boolean;
  failed?: boolean;
  json?: boolean;
}

export function registerQueue(program: Command, ctx: CliContext): void {
  const queue = program
    .command("queue")
    .description("run queued experiments in parallel, each in its own git worktree (dvx exp run --queue adds them)")
    .addHelpText(
      "after",
      examples(
        "dvx exp run --queue -S train.lr=0.1,0.01,0.001   queue three experiments (a sweep)",
        "dvx queue start -j 3                             run them, three at a time; Ctrl-C stops them",
        "dvx queue status                                 what is queued, running, done or failed",
        "dvx queue logs brisk-abac                        the output of one of them",
      ),
    );

  queue
    .command("start")
    .description("run the queued experiments until the queue is empty (one runner per repository)")
    .option("-j, --jobs <n>", "experiments run at the same time (default 1)", parseJobs)
    .option("--json", "print the outcome as JSON")
    .action(async (o: { jobs?: number; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const res = await runQueued(ctx, repo, o.jobs ?? 1, o.json === true);
      if (o.json) ctx.io.stdout(renderJson(res));
    });

  queue
    .command("status")
    .description("list queued, running, finished and failed experiments")
    .option("--json", "print them as JSON")
    .action(async (o: { json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { queueStatusOp } = await import("../core/ops/queue-status.js");
      const res = await queueStatusOp(repo);
      if (o.json) return ctx.io.stdout(renderJson(res));
      ctx.io.stdout((await render()).queueStatusText(res));
    });

  queue
    .command("logs")
    .description("print the output (stdout and stderr) of a queued experiment's run")
    .argument("<name>", "experiment name or task id")
    .option("-f, --follow", "keep printing while it runs (or waits for a running queue)")
    .action(async (name: string, o: { follow?: boolean }) => {
      const repo = await openRepoFor(ctx, false);
      const { queueLogsOp } = await import("../core/ops/queue-logs.js");
      let chunk = await queueLogsOp(repo, { name });
      ctx.io.stdout(chunk.text);
      while (o.follow && chunk.runner && (chunk.status === "running" || chunk.status === "queued")) {
        await new Promise((r) => setTimeout(r, 250));
        chunk = await queueLogsOp(repo, { name, from: chunk.next });
        ctx.io.stdout(chunk.text);
      }
    });

  queue
    .command("remove")
    .alias("rm")
    .description("remove entries from the queue (their logs too; experiments they made stay)")
    .argument("[names...]", "experiment names or task ids")
    .option("--all", "every entry that is not running")
    .option("--queued", "entries still waiting")
    .option("--success", "entries that succeeded")
    .option("--failed", "entries that failed")
    .option("--json", "print the removed entries as JSON")
    .action(async (names: string[], o: RemoveFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { queueRemoveOp } = await import("../core/ops/queue-remove.js");
      const res = await queueRemoveOp(repo, { names, ...o });
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).queueRemoveText(res));
    });

  queue
    .command("kill")
    .description("end running experiments now (they are listed as failed, their logs kept)")
    .argument("<names...>", "experiment names or task ids")
    .option("--json", "print the result as JSON")
    .action(async (names: string[], o: { json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { queueKillOp } = await import("../core/ops/queue-kill.js");
      const res = await queueKillOp(repo, { names });
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).queueKillText(res));
    });

  queue
    .command("stop")
    .description("tell the running queue to start nothing new (it ends when its experiments have)")
    .option("--kill", "also end the running experiments now (listed as failed)")
    .option("--json", "print the result as JSON")
    .action(async (o: { kill?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { queueStopOp } = await import("../core/ops/queue-stop.js");
      const res = await queueStopOp(repo, { kill: o.kill === true });
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).queueStopText(res));
    });

  queue
    .command("worker", { hidden: true })
    .description("run one queued experiment in its worktree (started by queue start)")
    .requiredOption("--task <dir>", "the task's directory")
    .action(async (o: { task: string }) => {
      const repo = await openRepoFor(ctx, false);
      const { queueWorkerOp } = await import("../core/ops/queue-worker.js");
      const run = (signal?: AbortSignal) =>
        queueWorkerOp(repo, {
          cwd: ctx.flags.cwd,
          taskDir: o.task,
          say: (line) => ctx.io.stderr(line),
          ...(signal ? { signal } : {}),
        });
      const res = ctx.io.interruptible ? await ctx.io.interruptible(run) : await run();
      if (res.status === "success") return ctx.io.stderr(`Experiment '${res.experiment.ref}' created.\n`);
      ctx.io.stderr(`error: ${res.error.message}\n${res.error.hint ? `hint: ${res.error.hint}\n` : ""}`);
      ctx.exitCode = res.error.code === "INTERRUPTED" ? EXIT.interrupted : EXIT.failed;
    });
}
