// dvx plots show|diff|templates: draw the plots declared in dvc.yaml (or given as targets) into one self-contained
// HTML file, print DVC's --json, or (diff --md) Markdown with Mermaid charts for a pull-request comment.
import type { Command } from "commander";
import { pathToFileURL } from "node:url";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { PlotsOptions, PlotsResult } from "../core/plots/run.js";
import type { PlotProps } from "../plots/types.js";
import { UsageError } from "../errors.js";
import { examples, openRepoFor, printWarnings } from "./common.js";

interface PlotFlags {
  template?: string;
  x?: string;
  y?: string;
  header?: boolean;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  out?: string;
  open?: boolean;
  json?: boolean;
  md?: boolean;
  showVega?: boolean;
  targets?: string[];
}

const withPlotFlags = (c: Command): Command =>
  c
    .option("-t, --template <name>", "template: a built-in name, a file in .dvc/plots/, or a path")
    .option("-x <field>", "field for the x axis")
    .option("-y <field>", "field for the y axis")
    .option("--no-header", "CSV/TSV files have no header row (columns are named 0, 1, ...)")
    .option("--title <text>", "plot title")
    .option("--x-label <text>", "x axis label")
    .option("--y-label <text>", "y axis label")
    .option("-o, --out <dir>", "directory for index.html (default: plots.out_dir, else dvc_plots)")
    .option("--open", "open the report in the browser")
    .option("--json", "print the data and the filled Vega-Lite specs as JSON (DVC's shape)")
    .option("--show-vega", "print the filled Vega-Lite spec of the one target's plot");

function props(o: PlotFlags): PlotProps {
  const p: PlotProps = {};
  if (o.template !== undefined) p.template = o.template;
  if (o.x !== undefined) p.x = o.x;
  if (o.y !== undefined) p.y = o.y;
  if (o.header === false) p.header = false;
  if (o.title !== undefined) p.title = o.title;
  if (o.xLabel !== undefined) p.x_label = o.xLabel;
  if (o.yLabel !== undefined) p.y_label = o.yLabel;
  return p;
}

export function registerPlots(program: Command, ctx: CliContext): void {
  const plots = program
    .command("plots")
    .description("draw plots from CSV/TSV/JSON/YAML files and images: show, diff, templates")
    .addHelpText(
      "after",
      examples(
        "dvx plots show",
        "dvx plots show eval/loss.csv -y loss --open",
        "dvx plots diff HEAD~1",
        "dvx plots diff main --md > plots.md",
        "dvx plots templates",
      ),
    );

  const run = async (kind: "show" | "diff", revs: string[], targets: string[], o: PlotFlags): Promise<void> => {
    if (o.showVega && (targets.length !== 1 || o.json))
      throw new UsageError(o.json ? "--show-vega and --json cannot be used together" : "--show-vega needs one target");
    if (o.showVega) o = { ...o, json: true };
    const repo = await openRepoFor(ctx, o.json === true);
    const opts: PlotsOptions = {
      cwd: ctx.flags.cwd,
      targets,
      props: props(o),
      ...(o.out !== undefined ? { out: o.out } : {}),
      output: o.json ? { kind: "json" } : o.md ? { kind: "data" } : { kind: "html", title: "dvx plots" },
    };
    let res: PlotsResult;
    if (kind === "show") res = await (await import("../core/ops/plots-show.js")).plotsShowOp(repo, opts);
    else res = await (await import("../core/ops/plots-diff.js")).plotsDiffOp(repo, { ...opts, revs });
    const text = await import("../cli/render/plots.js");
    printWarnings(ctx, text.plotsWarnings(res));
    if (o.showVega) {
      const first = Object.values(res.json?.data ?? {}).flat()[0] as { type?: string; content?: unknown } | undefined;
      return ctx.io.stdout(renderJson(first?.type === "vega" ? first.content : {}));
    }
    if (o.json) return ctx.io.stdout(renderJson(res.json ?? {}));
    if (o.md) return ctx.io.stdout(text.plotsMarkdownReport(res));
    if (!res.html) {
      if (!ctx.flags.quiet) ctx.io.stderr("No plots were loaded, visualization file will not be created.\n");
      return;
    }
    const url = pathToFileURL(res.html.path).href;
    ctx.io.stdout(`${url}\n`);
    if (!ctx.flags.quiet) ctx.io.stderr(text.reportSummary(res));
    if ((o.open || res.autoOpen) && ctx.io.openUrl && !(await ctx.io.openUrl(url)) && !ctx.flags.quiet)
      ctx.io.stderr("no browser to open it in: open the file above\n");
  };

  withPlotFlags(
    plots
      .command("show")
      .description("draw the workspace's plots into one HTML file (charts as SVG: no network, no JavaScript)")
      .argument("[targets...]", "plot files, directories or plot ids from dvc.yaml (default: all)"),
  ).action((targets: string[], o: PlotFlags) => run("show", [], targets, o));

  withPlotFlags(
    plots
      .command("diff")
      .description("overlay plots of several revisions (default: HEAD and the workspace)")
      .argument("[revisions...]", "git revisions; one → it and the workspace")
      .option("--targets <paths...>", "plot files, directories or plot ids (default: all)")
      .option("--md", "print Markdown: Mermaid xychart blocks (GitHub renders them) and tables"),
  ).action((revs: string[], o: PlotFlags) => run("diff", revs, o.targets ?? [], o));

  plots
    .command("templates")
    .description("list the built-in templates, or print one")
    .argument("[template]", "template name")
    .action(async (name: string | undefined) => {
      const { BUILTIN_TEMPLATES } = await import("../plots/build.js");
      if (name === undefined) return ctx.io.stdout(BUILTIN_TEMPLATES.map((t) => `${t}\n`).join(""));
      const { readBuiltinTemplate } = await import("../core/plots/templates.js");
      ctx.io.stdout(renderJson(await readBuiltinTemplate(name)));
    });
}
