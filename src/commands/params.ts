// dvx params diff (DVC's command and output) and params show (dvx-only, in the shapes of metrics show).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printWarnings } from "./common.js";
import { parsePrecision, scopeOf, tableFormat, withShowOptions, type ScopeFlags } from "./metrics.js";

export function registerParams(program: Command, ctx: CliContext): void {
  const params = program
    .command("params")
    .description("show and compare the params the pipeline tracks (dvc.yaml `params`, params.yaml), across revisions");

  params
    .command("diff")
    .description("compare params between two revisions (default: HEAD vs the workspace)")
    .argument("[a_rev]", "old revision (default HEAD)")
    .argument("[b_rev]", "new revision (default: the workspace)")
    .option("--targets <paths...>", "params files to compare whole, even if dvc.yaml does not track them")
    .option("--all", "show unchanged params too")
    .option("--deps", "only params that are stage dependencies")
    .option("--json", "print DVC's JSON")
    .option("--md", "print a markdown table")
    .option("--no-path", "leave out the Path column")
    .addHelpText(
      "after",
      examples("dvx params diff", "dvx params diff HEAD~1 --md", "dvx params diff main --all --json"),
    )
    .action(
      async (
        aRev: string | undefined,
        bRev: string | undefined,
        o: { targets?: string[]; all?: boolean; deps?: boolean; json?: boolean; md?: boolean; path: boolean },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { paramsDiffOp } = await import("../core/ops/params-diff.js");
        const render = await import("../cli/render/metrics.js");
        const res = await paramsDiffOp(repo, {
          cwd: ctx.flags.cwd,
          targets: o.targets ?? [],
          all: o.all === true,
          depsOnly: o.deps === true,
          ...(aRev ? { aRev } : {}),
          ...(bRev ? { bRev } : {}),
        });
        printWarnings(ctx, render.readWarnings("params", res.errors));
        if (o.json) return ctx.io.stdout(renderJson(render.diffJson(res.rows)));
        ctx.io.stdout(render.diffText(res, { title: "Param", format: o.md ? "md" : "plain", noPath: !o.path }));
      },
    );

  withShowOptions(params.command("show").description("print the params of the workspace (or of branches/tags/commits)"))
    .option("--deps", "only params that are stage dependencies")
    .option("--precision <n>", "round floats to n decimals (default: as written)", parsePrecision)
    .addHelpText("after", examples("dvx params show", "dvx params show --md params.yaml", "dvx params show -a --json"))
    .action(
      async (
        targets: string[],
        o: ScopeFlags & { deps?: boolean; json?: boolean; md?: boolean; csv?: boolean; precision?: number },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { paramsShowOp } = await import("../core/ops/params-show.js");
        const render = await import("../cli/render/metrics.js");
        const res = await paramsShowOp(repo, { cwd: ctx.flags.cwd, targets, depsOnly: o.deps === true, ...scopeOf(o) });
        printWarnings(ctx, render.readWarnings("params", res.errors));
        if (o.json) return ctx.io.stdout(renderJson(render.showJson(res)));
        ctx.io.stdout(render.showText(res, tableFormat(o), o.precision));
      },
    );
}
