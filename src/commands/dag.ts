// dvx dag: the pipeline graph as DVC prints it (ASCII drawing, --dot, --mermaid, --md), or as JSON.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { UsageError } from "../errors.js";
import { examples, openRepoFor } from "./common.js";

interface DagFlags {
  dot?: boolean;
  mermaid?: boolean;
  md?: boolean;
  full?: boolean;
  outs?: boolean;
  output?: string;
  json?: boolean;
}

export function registerDag(program: Command, ctx: CliContext): void {
  program
    .command("dag")
    .description("show the pipeline graph: stages and .dvc files, each linked to what it depends on")
    .argument("[target]", "a stage, .dvc file or output: show it and what it depends on (default: everything)")
    .option("--dot", "print the graph in Graphviz dot format")
    .option("--mermaid", "print the graph as a Mermaid flowchart")
    .option("--md", "print the Mermaid flowchart in a Markdown code block")
    .option("--full", "with a target: the whole pipeline it belongs to, not only what it depends on")
    .option("-o, --outs", "show outputs (files and directories) instead of stages")
    .option("--output <file>", "write the graph to <file> instead of stdout")
    .option("--json", "print the nodes and edges as JSON")
    .addHelpText(
      "after",
      examples(
        "dvx dag                  draw every pipeline",
        "dvx dag train            train and what it needs",
        "dvx dag --md > dag.md    a Mermaid chart for a README or PR",
        "dvx dag --outs --dot     the output graph for Graphviz",
      ),
    )
    .action(async (target: string | undefined, o: DagFlags) => {
      const formats = [o.dot, o.mermaid, o.md, o.json].filter(Boolean).length;
      if (formats > 1) throw new UsageError("choose one of --dot, --mermaid, --md and --json");
      const repo = await openRepoFor(ctx, o.json === true);
      const { dagOp } = await import("../core/ops/dag.js");
      const view = await dagOp(repo, {
        cwd: ctx.flags.cwd,
        ...(target !== undefined ? { target } : {}),
        outs: o.outs === true,
        full: o.full === true,
      });
      const r = await import("../pipeline/dag-render.js");
      const text = o.json
        ? renderJson(r.dagJson(view))
        : o.dot
          ? `${r.renderDot(view)}\n`
          : o.mermaid || o.md
            ? `${r.renderMermaid(view, o.md === true)}\n`
            : `${r.renderAscii(view)}\n`;
      if (o.output === undefined) return ctx.io.stdout(text);
      const { writeFileAtomic } = await import("../fsx/atomic.js");
      const { resolve } = await import("node:path");
      await writeFileAtomic(resolve(ctx.flags.cwd, o.output), text);
    });
}
