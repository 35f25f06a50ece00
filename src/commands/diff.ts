// dvx diff: data changes between two git revisions (default: HEAD vs the workspace).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printWarnings } from "./common.js";

interface DiffFlags {
  targets?: string[];
  json?: boolean;
  md?: boolean;
  showHash?: boolean;
  hideMissing?: boolean;
}

export function registerDiff(program: Command, ctx: CliContext): void {
  program
    .command("diff")
    .description("show data changes between git revisions (default: HEAD vs the workspace)")
    .argument("[a_rev]", "old revision (default HEAD)")
    .argument("[b_rev]", "new revision (default: the workspace)")
    .option("--targets <paths...>", "limit to these tracked paths")
    .option("--json", "print the result as JSON")
    .option("--md", "print a markdown table")
    .option("--show-hash", "show the (abbreviated) hashes")
    .option("--hide-missing", "do not list objects missing from the cache")
    .addHelpText("after", examples("dvx diff", "dvx diff HEAD~2 --md", "dvx diff v1 v2 --json"))
    .action(async (aRev: string | undefined, bRev: string | undefined, o: DiffFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { diffOp } = await import("../core/ops/diff.js");
      const { diffJson, diffMarkdown, diffText } = await import("../cli/render/diff-text.js");
      const res = await diffOp(repo, {
        cwd: ctx.flags.cwd,
        targets: o.targets ?? [],
        hideMissing: o.hideMissing === true,
        ...(aRev ? { aRev } : {}),
        ...(bRev ? { bRev } : {}),
      });
      printWarnings(ctx, res.warnings);
      const showHash = o.showHash === true;
      if (o.json) return ctx.io.stdout(renderJson(res.empty ? {} : diffJson(res.result, showHash)));
      ctx.io.stdout(o.md ? diffMarkdown(res.result, showHash) : diffText(res.result, showHash));
    });
}
