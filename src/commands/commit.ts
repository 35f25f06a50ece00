// dvx commit: store the current version of tracked data in the cache and update its .dvc file.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printGitFollowups, printWarnings, say } from "./common.js";

export function registerCommit(program: Command, ctx: CliContext): void {
  program
    .command("commit")
    .description("store the current version of tracked data in the cache and record it (.dvc files, dvc.lock)")
    .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
    .option("-f, --force", "commit changed stages without asking")
    .option("--json", "print the result as JSON")
    .addHelpText("after", examples("dvx add --no-commit big.bin && dvx commit big.bin.dvc", "dvx commit"))
    .action(async (targets: string[], o: { force?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { commitOp } = await import("../core/ops/commit.js");
      const res = await commitOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        force: o.force === true,
        ...(ctx.io.confirm ? { confirm: ctx.io.confirm } : {}),
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { commitText } = await import("../cli/render/commit.js");
      say(ctx, commitText(res));
      printGitFollowups(ctx, res);
    });
}
