// dvx metrics show|diff — DVC's commands and output, byte for byte, with files in a fixed order.
import { InvalidArgumentError, type Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { Direction } from "../metrics/direction.js";
import type { TableFormat } from "../metrics/table.js";
import { examples, openRepoFor, printWarnings } from "./common.js";

/** DVC's default --precision (0 means the default too, as in DVC). */
export const DEFAULT_PRECISION = 5;

export function parsePrecision(v: string): number {
  if (!/^[-+]?\d+$/.test(v.trim())) throw new InvalidArgumentError(`--precision must be an integer, not '${v}'`);
  return Number(v);
}

export const tableFormat = (o: { md?: boolean; csv?: boolean }): TableFormat => (o.md ? "md" : o.csv ? "csv" : "plain");

export type ScopeFlags = { allBranches?: boolean; allTags?: boolean; allCommits?: boolean };
export const scopeOf = (o: ScopeFlags) => ({
  allBranches: o.allBranches === true,
  allTags: o.allTags === true,
  allCommits: o.allCommits === true,
});

/** -a/-T/-A, --json/--md/--csv: the options metrics show and params show share. */
export function withShowOptions(c: Command): Command {
  return c
    .argument("[targets...]", "files to show instead of the ones dvc.yaml declares (directories: every file inside)")
    .option("-a, --all-branches", "show every branch")
    .option("-T, --all-tags", "show every tag")
    .option("-A, --all-commits", "show every commit")
    .option("--json", "print DVC's JSON")
    .option("--md", "print a markdown table")
    .option("--csv", "print CSV")
    .option("-R, --recursive", "accepted for DVC compatibility: directories are always searched");
}

/** --direction is repeatable and takes comma lists; the specs are checked in the action (metrics/ loads lazily). */
export const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(",")];

export async function directionsOf(specs: readonly string[]): Promise<Map<string, Direction>> {
  const { parseDirectionSpec } = await import("../metrics/direction.js");
  const { UsageError } = await import("../errors.js");
  const out = new Map<string, Direction>();
  for (const spec of specs) {
    const d = parseDirectionSpec(spec);
    if (!d) throw new UsageError(`--direction wants NAME=higher or NAME=lower, not '${spec}'`);
    out.set(d.name, d.direction);
  }
  return out;
}

export function registerMetrics(program: Command, ctx: CliContext): void {
  const metrics = program
    .command("metrics")
    .description("show and compare the metrics files of the pipeline (dvc.yaml `metrics`), across git revisions");

  withShowOptions(
    metrics.command("show").description("print the metrics of the workspace (or of branches/tags/commits)"),
  )
    .option("--precision <n>", `round floats to n decimals (default ${DEFAULT_PRECISION})`, parsePrecision)
    .addHelpText(
      "after",
      examples("dvx metrics show", "dvx metrics show --md eval/metrics.json", "dvx metrics show -a --json"),
    )
    .action(
      async (
        targets: string[],
        o: ScopeFlags & { json?: boolean; md?: boolean; csv?: boolean; precision?: number },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { metricsShowOp } = await import("../core/ops/metrics-show.js");
        const render = await import("../cli/render/metrics.js");
        const res = await metricsShowOp(repo, { cwd: ctx.flags.cwd, targets, ...scopeOf(o) });
        printWarnings(ctx, render.readWarnings("metrics", res.errors));
        if (o.json) return ctx.io.stdout(renderJson(render.showJson(res)));
        ctx.io.stdout(render.showText(res, tableFormat(o), o.precision || DEFAULT_PRECISION));
      },
    );

  metrics
    .command("diff")
    .description("compare metrics between two revisions (default: HEAD vs the workspace)")
    .argument("[a_rev]", "old revision (default HEAD)")
    .argument("[b_rev]", "new revision (default: the workspace)")
    .option("--targets <paths...>", "metrics files to compare, even if dvc.yaml does not declare them")
    .option("--all", "show unchanged metrics too")
    .option("--json", "print DVC's JSON")
    .option("--md", "print a markdown table")
    .option("--no-path", "leave out the Path column")
    .option("--precision <n>", `round floats to n decimals (default ${DEFAULT_PRECISION})`, parsePrecision)
    .option(
      "--direction <name=higher|lower>",
      "which way is better for a metric (NAME or PATH:NAME; repeatable); saved ones: dvx config metrics.direction.NAME",
      collect,
    )
    .option("-R, --recursive", "accepted for DVC compatibility: directories are always searched")
    .addHelpText(
      "after",
      examples("dvx metrics diff", "dvx metrics diff HEAD~1 --md", "dvx metrics diff main feature --all --json"),
    )
    .action(
      async (
        aRev: string | undefined,
        bRev: string | undefined,
        o: {
          targets?: string[];
          all?: boolean;
          json?: boolean;
          md?: boolean;
          path: boolean;
          precision?: number;
          direction?: string[];
        },
      ) => {
        const directions = o.direction ? await directionsOf(o.direction) : undefined;
        const repo = await openRepoFor(ctx, o.json === true);
        const { metricsDiffOp } = await import("../core/ops/metrics-diff.js");
        const render = await import("../cli/render/metrics.js");
        const res = await metricsDiffOp(repo, {
          cwd: ctx.flags.cwd,
          targets: o.targets ?? [],
          all: o.all === true,
          ...(directions ? { directions } : {}),
          ...(aRev ? { aRev } : {}),
          ...(bRev ? { bRev } : {}),
        });
        printWarnings(ctx, render.readWarnings("metrics", res.errors));
        if (o.json) return ctx.io.stdout(renderJson(render.diffJson(res.rows)));
        const format = o.md ? "md" : "plain";
        const precision = o.precision || DEFAULT_PRECISION;
        ctx.io.stdout(render.diffText(res, { title: "Metric", format, noPath: !o.path, precision }));
      },
    );
}
