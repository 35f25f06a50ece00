// dvx exp: experiments on git refs, compatible with DVC's (docs/formats.md §11). This file creates the `exp`
// command and runs the registrars of its subcommands: run/save/apply here, show/diff in exp-show.ts, the ref
// commands in exp-refs.ts.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { OutputMode } from "../core/pipeline/spawn.js";
import type { Repo } from "../core/repo.js";
import { UsageError } from "../errors.js";
import type { ExperimentRunInput } from "../core/runs/exp-record.js";
import { shellJoin } from "../util/shell-quote.js";
import { examples, openRepoFor, parseJobs, say, warnRecord } from "./common.js";
import { registerExpRefs } from "./exp-refs.js";
import { registerExpShow } from "./exp-show.js";

/** Subcommand registrars of `dvx exp` (the queue will add its flags and commands). */
const SUBCOMMANDS: Array<(exp: Command, ctx: CliContext) => void> = [registerExpRun, registerExpShow, registerExpRefs];

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function registerExp(program: Command, ctx: CliContext): void {
  const exp = program
    .command("exp")
    .alias("experiments")
    .description("run, save, apply, share and manage experiments (stored as git refs, compatible with DVC)")
    .addHelpText(
      "after",
      examples(
        "dvx exp run -S train.lr=0.01 -n lr-small    run the pipeline with a changed param, as an experiment",
        "dvx exp list                                experiments of the current commit",
        "dvx exp show --sort-by acc --sort-order desc  compare them: params, metrics, deps (table, --md, --json)",
        "dvx exp apply lr-small                      bring an experiment's files and data into the workspace",
        "dvx exp branch lr-small better-lr           make a branch of it",
        "dvx exp push origin lr-small                share it (refs to git, data to the dvx remote)",
      ),
    );
  for (const register of SUBCOMMANDS) register(exp, ctx);
}

interface RunFlags {
  setParam: string[];
  name?: string;
  force?: boolean;
  message?: string;
  singleItem?: boolean;
  recursive?: boolean;
  allPipelines?: boolean;
  downstream?: boolean;
  pull?: boolean;
  allowMissing?: boolean;
  runCache: boolean;
  queue?: boolean;
  runAll?: boolean;
  jobs?: number;
  json?: boolean;
}

/** Takes the run's start (git state) now; the function it returns writes the run record (recordExperimentRun). */
async function experimentRecorder(
  ctx: CliContext,
  repo: Repo,
  name: string | undefined,
): Promise<(outcome: Pick<ExperimentRunInput, "result" | "error">) => Promise<unknown>> {
  const { startRun } = await import("../core/runs/build-record.js");
  const start = startRun(repo);
  await start.git; // before -S edits the params files: the uncommitted changes the experiment starts from
  const command = shellJoin(["dvx", ...ctx.argv]);
  return async (outcome) => {
    const { recordExperimentRun } = await import("../core/runs/exp-record.js");
    return recordExperimentRun(repo, { command, start, ...(name !== undefined ? { name } : {}), ...outcome });
  };
}

function registerExpRun(exp: Command, ctx: CliContext): void {
  exp
    .command("run")
    .description("reproduce the pipeline with changed params and record the result as an experiment")
    .argument("[targets...]", "stages or dvc.yaml files to reproduce (default: ./dvc.yaml)")
    .option(
      "-S, --set-param <[file:]key=value>",
      "change a param first (+key=v adds, ~key deletes); repeatable",
      collect,
      [],
    )
    .option("-n, --name <name>", "name of the experiment (default: a random adjective-noun)")
    .option("-f, --force", "run every stage, and replace an experiment of the same name")
    .option("-m, --message <text>", "commit message of the experiment (default: DVC's)")
    .option("-s, --single-item", "only the targets, not the stages they depend on")
    .option("-R, --recursive", "targets are directories: every dvc.yaml under them")
    .option("-P, --all-pipelines", "every pipeline of the project")
    .option("--downstream", "the targets and every stage that depends on them")
    .option("--pull", "download missing dependencies and cached outputs from the remote")
    .option("--allow-missing", "skip stages whose only change is missing data")
    .option("--no-run-cache", "run commands even when this exact run is in the run cache")
    .option("--queue", "add it to the queue instead of running it (a sweep -S k=a,b queues one per value)")
    .option("--run-all", "run every queued experiment (after queueing this one with --queue)")
    .option("-j, --jobs <n>", "with --run-all: experiments run at the same time", parseJobs)
    .option("--json", "print the result as JSON (command output goes to stderr)")
    .addHelpText(
      "after",
      examples(
        "dvx exp run -S train.lr=0.001 -S train.epochs=20",
        "dvx exp run -S params.json:model.depth=8 -n deeper train",
        "dvx exp run -S '+train.dropout=0.2' -S '~train.momentum'",
        "dvx exp run --queue -S train.lr=0.1,0.01 && dvx exp run --run-all -j 2",
      ),
    )
    .action(async (targets: string[], o: RunFlags) => {
      const json = o.json === true;
      if (o.jobs !== undefined && !o.runAll) throw new UsageError("-j/--jobs goes with --run-all");
      const repo = await openRepoFor(ctx, json);
      if (o.queue || o.runAll) return queueOrRunAll(ctx, repo, targets, o);
      const { parseSetParams } = await import("../core/exp/set-params.js");
      const { expRunOp } = await import("../core/ops/exp-run.js");
      const setParams = parseSetParams(o.setParam);
      const output = (): OutputMode => (json ? { kind: "stderr" } : { kind: "inherit" });
      const run = (signal?: AbortSignal) =>
        expRunOp(repo, {
          cwd: ctx.flags.cwd,
          setParams,
          force: o.force === true,
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.message !== undefined ? { message: o.message } : {}),
          repro: {
            ...reproFlags(targets, o),
            output,
            say: (_address, line) => (json ? undefined : say(ctx, `${line}\n`)),
            ...(signal ? { signal } : {}),
          },
        });
      const rec = await experimentRecorder(ctx, repo, o.name);
      let res;
      try {
        res = ctx.io.interruptible ? await ctx.io.interruptible(run) : await run();
      } catch (err) {
        const { ranBeforeError } = await import("../core/runs/build-record.js");
        if (ranBeforeError(err)) await rec({ error: err }).catch((e: unknown) => warnRecord(ctx, e));
        throw err;
      }
      await rec({ result: res }).catch((e: unknown) => warnRecord(ctx, e));
      if (json) return ctx.io.stdout(renderJson(res));
      const { expRunText } = await import("../cli/render/exp.js");
      say(ctx, expRunText(res));
    });

  exp
    .command("save")
    .description("record the workspace as it is as an experiment (no stage runs)")
    .option("-n, --name <name>", "name of the experiment (default: a random adjective-noun)")
    .option("-f, --force", "replace an experiment of the same name")
    .option("-m, --message <text>", "commit message of the experiment")
    .option("-I, --include-untracked <path>", "also take this untracked file; repeatable", collect, [])
    .option("--json", "print the result as JSON")
    .action(
      async (o: { name?: string; force?: boolean; message?: string; includeUntracked: string[]; json?: boolean }) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { expSaveOp } = await import("../core/ops/exp-save.js");
        const rec = await experimentRecorder(ctx, repo, o.name);
        const res = await expSaveOp(repo, {
          cwd: ctx.flags.cwd,
          force: o.force === true,
          includeUntracked: o.includeUntracked,
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.message !== undefined ? { message: o.message } : {}),
        });
        await rec({ result: res }).catch((e: unknown) => warnRecord(ctx, e));
        if (o.json) return ctx.io.stdout(renderJson(res));
        const { expSaveText } = await import("../cli/render/exp.js");
        say(ctx, expSaveText(res));
      },
    );

  exp
    .command("apply")
    .description("bring an experiment's files and data into the workspace (HEAD and the index stay)")
    .argument("<experiment>", "name, full ref or commit of the experiment")
    .option("-f, --force", "overwrite changes that are saved nowhere (not in git, not in the cache)")
    .option("--json", "print the result as JSON")
    .action(async (name: string, o: { force?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expApplyOp } = await import("../core/ops/exp-apply.js");
      const res = await expApplyOp(repo, { name, force: o.force === true });
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { expApplyText } = await import("../cli/render/exp.js");
      say(ctx, expApplyText(res));
    });
}

/** The repro flags of `exp run`, for a run now or a queued one. */
function reproFlags(targets: string[], o: RunFlags) {
  return {
    targets,
    single: o.singleItem === true,
    recursive: o.recursive === true,
    allPipelines: o.allPipelines === true,
    downstream: o.downstream === true,
    pull: o.pull === true,
    allowMissing: o.allowMissing === true,
    noRunCache: !o.runCache,
  };
}

/** exp run --queue and/or --run-all (commands/queue.ts does the work). */
async function queueOrRunAll(ctx: CliContext, repo: Repo, targets: string[], o: RunFlags): Promise<void> {
  const json = o.json === true;
  const q = await import("./queue.js");
  if (!o.queue && (o.setParam.length > 0 || o.name !== undefined || targets.length > 0))
    throw new UsageError("--run-all runs what is queued: add --queue to queue this experiment first");
  const out: Record<string, unknown> = {};
  if (o.queue) {
    out.queued = await q.queueExperiments(ctx, repo, {
      setParam: o.setParam,
      json,
      ...(o.name !== undefined ? { name: o.name } : {}),
      ...(o.force !== undefined ? { force: o.force } : {}),
      ...(o.message !== undefined ? { message: o.message } : {}),
      repro: reproFlags(targets, o),
    });
  }
  if (o.runAll) out.run = await q.runQueued(ctx, repo, o.jobs ?? 1, json);
  if (json) ctx.io.stdout(renderJson(o.runAll ? out : out.queued));
}
