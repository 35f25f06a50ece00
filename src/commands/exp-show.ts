// dvx exp show | exp diff: DVC's experiment table and comparison (subcommands of `exp`, see commands/exp.ts).
import { InvalidArgumentError, Option, type Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printWarnings } from "./common.js";
import { parsePrecision } from "./metrics.js";

function parseNum(v: string): number {
  if (!/^[-+]?\d+$/.test(v.trim())) throw new InvalidArgumentError(`--num must be an integer, not '${v}'`);
  return Number(v);
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

interface ShowFlags {
  json?: boolean;
  md?: boolean;
  csv?: boolean;
  allBranches?: boolean;
  allTags?: boolean;
  allCommits?: boolean;
  rev?: string[];
  num?: number;
  sortBy?: string;
  sortOrder?: "asc" | "desc";
  onlyChanged?: boolean;
  drop?: string;
  keep?: string;
  paramDeps?: boolean;
  precision?: number;
  sha?: boolean;
  hideWorkspace?: boolean;
  hideQueued?: boolean;
  hideFailed?: boolean;
  record?: string;
}

function registerShow(exp: Command, ctx: CliContext): void {
  exp
    .command("show")
    .description("print the workspace, the baseline and its experiments with their metrics, params and deps")
    .option("-a, --all-branches", "show the experiments of every branch")
    .option("-T, --all-tags", "show the experiments of every tag")
    .option("-A, --all-commits", "show the experiments of every commit")
    .option("--rev <commit>", "show the experiments of this baseline (repeatable; default HEAD)", collect)
    .option("-n, --num <num>", "also the num-1 commits before each --rev (negative: all first parents)", parseNum)
    .option("--json", "print DVC's JSON")
    .option("--md", "print a markdown table")
    .option("--csv", "print CSV")
    .option("--sort-by <metric/param>", "sort each baseline's experiments by this metric or param ([file:]name)")
    .addOption(new Option("--sort-order <order>", "with --sort-by (default asc)").choices(["asc", "desc"]))
    .option("--only-changed", "only the columns whose value varies")
    .option("--drop <regex>", "leave out the columns whose name matches")
    .option("--keep <regex>", "never leave out the columns whose name matches")
    .option("--param-deps", "only params that are stage dependencies")
    .option("--precision <n>", "significant digits of floats (default 5; CSV: as written)", parsePrecision)
    .option("--sha", "name baselines by commit, not by branch or tag")
    .option("--hide-workspace", "leave out the workspace row")
    .option(
      "--record <fields>",
      "add run-record columns of each experiment (dvx only): duration,status,user,host,started,git.dirty,…",
    )
    .option("--no-fetch", "accepted for DVC compatibility (there is nothing running to fetch from)")
    .option("--no-pager", "accepted for DVC compatibility (dvx never pages)")
    .option("-f, --force", "accepted for DVC compatibility (dvx keeps no cache of collected experiments)")
    .option("--hide-failed", "leave out the queue's failed entries")
    .option("--hide-queued", "leave out the queue's waiting entries")
    .addHelpText(
      "after",
      examples(
        "dvx exp show",
        "dvx exp show --md --sort-by acc --sort-order desc",
        "dvx exp show -a --json",
        "dvx exp show --record duration,status,user",
      ),
    )
    .action(async (o: ShowFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expShowOp } = await import("../core/ops/exp-show.js");
      const render = await import("../cli/render/exp-show.js");
      const res = await expShowOp(repo, {
        ...(o.rev ? { revs: o.rev } : {}),
        ...(o.num !== undefined ? { num: o.num } : {}),
        allBranches: o.allBranches === true,
        allTags: o.allTags === true,
        allCommits: o.allCommits === true,
        paramDeps: o.paramDeps === true,
        hideWorkspace: o.hideWorkspace === true,
        shaOnly: o.sha === true,
        hideQueued: o.hideQueued === true,
        hideFailed: o.hideFailed === true,
        ...(o.record !== undefined ? { record: o.record } : {}),
      });
      if (o.json) return ctx.io.stdout(renderJson(render.expShowJson(res)));
      const text = render.expShowText(res, {
        format: o.md ? "md" : o.csv ? "csv" : "table",
        now: new Date(),
        onlyChanged: o.onlyChanged === true,
        ...(o.precision !== undefined ? { precision: o.precision } : {}),
        ...(o.sortBy !== undefined ? { sortBy: o.sortBy, sortOrder: o.sortOrder ?? "asc" } : {}),
        ...(o.keep !== undefined ? { keep: o.keep } : {}),
        ...(o.drop !== undefined ? { drop: o.drop } : {}),
      });
      ctx.io.stdout(text);
    });
}

function registerDiff(exp: Command, ctx: CliContext): void {
  exp
    .command("diff")
    .description("compare the metrics and params of two experiments or revisions (default: HEAD vs the workspace)")
    .argument("[a_rev]", "old experiment or revision (default HEAD)")
    .argument("[b_rev]", "new experiment or revision (default: the workspace)")
    .option("--all", "show unchanged metrics and params too")
    .option("--param-deps", "only params that are stage dependencies")
    .option("--json", "print DVC's JSON")
    .option("--md", "print markdown tables")
    .option("--no-path", "leave out the Path column")
    .option("--precision <n>", "significant digits of metrics floats (default 5)", parsePrecision)
    .addHelpText("after", examples("dvx exp diff", "dvx exp diff my-exp --md", "dvx exp diff exp-a exp-b --json"))
    .action(
      async (
        aRev: string | undefined,
        bRev: string | undefined,
        o: { all?: boolean; paramDeps?: boolean; json?: boolean; md?: boolean; path: boolean; precision?: number },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { expDiffOp } = await import("../core/ops/exp-diff.js");
        const render = await import("../cli/render/exp-show.js");
        const res = await expDiffOp(repo, {
          all: o.all === true,
          paramDeps: o.paramDeps === true,
          ...(aRev ? { aRev } : {}),
          ...(bRev ? { bRev } : {}),
        });
        printWarnings(ctx, render.expDiffWarnings(res));
        if (o.json) return ctx.io.stdout(renderJson(render.expDiffJson(res)));
        const precision = o.precision !== undefined ? { precision: o.precision } : {};
        ctx.io.stdout(render.expDiffText(res, { md: o.md === true, noPath: !o.path, ...precision }));
      },
    );
}

/** Adds `exp show` and `exp diff` to the `exp` command. */
export function registerExpShow(exp: Command, ctx: CliContext): void {
  registerShow(exp, ctx);
  registerDiff(exp, ctx);
}
