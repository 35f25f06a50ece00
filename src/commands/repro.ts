// dvx repro: run what changed in the pipelines, record it in dvc.lock.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { ReproResult } from "../core/ops/repro.js";
import type { OutputMode } from "../core/pipeline/spawn.js";
import { EXIT, UsageError } from "../errors.js";
import { shellJoin } from "../util/shell-quote.js";
import { examples, openRepoFor, parseJobs, printGitFollowups, warnRecord } from "./common.js";

interface ReproFlags {
  force?: boolean;
  singleItem?: boolean;
  interactive?: boolean;
  downstream?: boolean;
  recursive?: boolean;
  allPipelines?: boolean;
  dry?: boolean;
  keepGoing?: boolean;
  pull?: boolean;
  allowMissing?: boolean;
  commit: boolean;
  runCache: boolean;
  jobs?: number;
  json?: boolean;
}

export function registerRepro(program: Command, ctx: CliContext): void {
  program
    .command("repro")
    .description("run the pipeline stages whose dependencies, params or command changed, and record them in dvc.lock")
    .argument(
      "[targets...]",
      "stages (name, group, dir/dvc.yaml:name), dvc.yaml files or .dvc files (default: ./dvc.yaml)",
    )
    .option("-f, --force", "run the stages even when nothing changed")
    .option("-s, --single-item", "only the targets, not the stages they depend on")
    .option("-i, --interactive", "ask before running each stage")
    .option("--downstream", "the targets and every stage that depends on them")
    .option("-R, --recursive", "targets are directories: every dvc.yaml under them")
    .option("-P, --all-pipelines", "every stage of every dvc.yaml in the project")
    .option("--dry", "only show what would run, and why")
    .option("-k, --keep-going", "after a failure, go on with the stages that do not depend on it")
    .option("--pull", "download missing dependencies and cached outputs from the remote")
    .option("--allow-missing", "skip stages whose only change is missing data")
    .option("--no-commit", "do not store outputs in the cache (dvc.lock is still written)")
    .option("--no-run-cache", "run commands even when this exact run is in the run cache")
    .option("-j, --jobs <n>", "stages to run at the same time (default 1)", parseJobs)
    .option("--json", "print the result as JSON (command output goes to stderr)")
    .addHelpText(
      "after",
      examples(
        "dvx repro                 run what changed in ./dvc.yaml",
        "dvx repro --dry           show what would run and why",
        "dvx repro train -f        force one stage (and what it needs)",
        "dvx repro -P -j 4         every pipeline, four stages at a time",
      ),
    )
    .action(async (targets: string[], o: ReproFlags) => {
      if (o.interactive && !o.dry && !ctx.io.confirm) {
        // DVC aborts when it cannot ask; running every stage unasked would do what -i is meant to prevent
        throw new UsageError("-i/--interactive asks before each stage, but there is no terminal to ask on", {
          hint: "run it in a terminal, or leave out -i",
        });
      }
      const repo = await openRepoFor(ctx, o.json === true);
      const { reproOp } = await import("../core/ops/repro.js");
      const json = o.json === true;
      const jobs = o.jobs ?? 1;
      const say = (address: string, line: string): void => {
        if (ctx.flags.quiet) return;
        ctx.io.stderr(jobs > 1 ? `[${address}] ${line}\n` : `${line}\n`);
      };
      const output = (address: string): OutputMode =>
        jobs > 1
          ? {
              kind: "lines",
              write: (stream, line) =>
                (stream === "stdout" && !json ? ctx.io.stdout : ctx.io.stderr)(`[${address}] ${line}\n`),
            }
          : json
            ? { kind: "stderr" }
            : { kind: "inherit" };
      const run = (signal?: AbortSignal) =>
        reproOp(repo, {
          cwd: ctx.flags.cwd,
          targets,
          force: o.force === true,
          single: o.singleItem === true,
          downstream: o.downstream === true,
          recursive: o.recursive === true,
          allPipelines: o.allPipelines === true,
          dry: o.dry === true,
          keepGoing: o.keepGoing === true,
          pull: o.pull === true,
          allowMissing: o.allowMissing === true,
          noCommit: !o.commit,
          noRunCache: !o.runCache,
          jobs,
          output,
          say,
          ...(o.interactive && ctx.io.confirm ? { confirm: ctx.io.confirm } : {}),
          ...(signal ? { signal } : {}),
          // the record's git state is the workspace the run starts from: read before any stage writes
          ...(start ? { ready: start.git } : {}),
        });
      const { startRun } = await import("../core/runs/build-record.js");
      const start = o.dry ? undefined : startRun(repo);
      const record = async (result?: ReproResult, error?: unknown): Promise<void> => {
        if (!start) return;
        const { recordRepro } = await import("../core/runs/repro-record.js");
        const command = shellJoin(["dvx", ...ctx.argv]);
        await recordRepro(repo, { command, start, ...(result ? { result } : {}), ...(error ? { error } : {}) });
      };
      let res: ReproResult;
      try {
        res = ctx.io.interruptible ? await ctx.io.interruptible(run) : await run();
      } catch (err) {
        // the run's own error wins over one from writing its record
        const { ranBeforeError } = await import("../core/runs/build-record.js");
        if (ranBeforeError(err)) await record(undefined, err).catch((e: unknown) => warnRecord(ctx, e));
        throw err;
      }
      await record(res).catch((e: unknown) => warnRecord(ctx, e));
      if (res.failed.length > 0) ctx.exitCode = res.failed[0]!.exitCode;
      // an interrupt between two stages fails none of them, but the run did stop: 130 all the same
      if (res.interrupted) ctx.exitCode = EXIT.interrupted;
      if (json) return ctx.io.stdout(renderJson(res));
      const { reproPlanText, reproSummaryText } = await import("../cli/render/repro.js");
      for (const m of new Set(res.failed.map((f) => f.message))) ctx.io.stderr(`error: ${m}\n`);
      if (o.dry) return ctx.io.stdout(reproPlanText(res));
      if (!ctx.flags.quiet) ctx.io.stderr(reproSummaryText(res));
      printGitFollowups(ctx, res);
    });
}
