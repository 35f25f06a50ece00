// dvx runs: query the run records of repro runs (.dvc/tmp/runs/) and experiments (git notes, refs/notes/dvx-runs).
import { InvalidArgumentError, type Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { UsageError } from "../errors.js";
import { examples, openRepoFor, say } from "./common.js";

interface ListFlags {
  json?: boolean;
  md?: boolean;
  filter?: string;
  number?: number;
  all?: boolean;
}

const DEFAULT_LIMIT = 20;

function parseCount(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

export function registerRuns(program: Command, ctx: CliContext): void {
  const runs = program
    .command("runs")
    .description("list and show run records: what each repro and experiment ran, on which code, params and data")
    .addHelpText(
      "after",
      examples(
        "dvx runs list                                        the latest 20 runs",
        "dvx runs list --filter 'metrics.acc > 0.9 && params.train.lr < 0.01'",
        "dvx runs list --filter 'status == \"failed\"' --json",
        "dvx runs show 20260102T101112Z-3fa9c2                one run in full",
      ),
    );

  runs
    .command("list")
    .alias("ls")
    .description("the run records, newest first")
    .option(
      "--filter <expr>",
      "keep the runs for which EXPR holds: paths (metrics.acc, params.train.lr, status, name, git.dirty, " +
        "duration, …), numbers, 'strings', == != < <= > >= ~ !~ (regex), && || ! ( )",
    )
    .option("-n, --number <n>", `show at most N runs (default ${DEFAULT_LIMIT})`, parseCount)
    .option("--all", "show every run")
    .option("--json", "print the records as a JSON list")
    .option("--md", "print a markdown table")
    .action(async (o: ListFlags) => {
      if (o.json && o.md) throw new UsageError("--json and --md cannot be used together");
      if (o.all && o.number !== undefined) throw new UsageError("--all and -n cannot be used together");
      const repo = await openRepoFor(ctx, o.json === true);
      const { runsListOp } = await import("../core/ops/runs-list.js");
      const res = await runsListOp(repo, {
        ...(o.filter !== undefined ? { filter: o.filter } : {}),
        ...(o.all ? {} : { limit: o.number ?? DEFAULT_LIMIT }),
      });
      if (o.json) return ctx.io.stdout(renderJson(res.runs.map((r) => ({ ...r.record, source: r.source }))));
      const { runsListText, runsMoreText } = await import("../cli/render/runs.js");
      ctx.io.stdout(runsListText(res, o.md === true));
      say(ctx, runsMoreText(res));
    });

  runs
    .command("show")
    .description("one run record in full")
    .argument("<id>", "run id (or its unique start), or an experiment's name or commit")
    .option("--json", "print the record as JSON")
    .action(async (id: string, o: { json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { runsShowOp } = await import("../core/ops/runs-show.js");
      const run = await runsShowOp(repo, { id });
      if (o.json) return ctx.io.stdout(renderJson({ ...run.record, source: run.source }));
      const { runShowText } = await import("../cli/render/runs.js");
      ctx.io.stdout(runShowText(run));
    });
}
