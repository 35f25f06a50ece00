// dvx remove: stop tracking the outputs of .dvc files (and delete the data with --outs).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printGitFollowups, say } from "./common.js";

export function registerRemove(program: Command, ctx: CliContext): void {
  program
    .command("remove")
    .description("stop tracking the outputs of .dvc files (keeps the data unless --outs)")
    .argument("<targets...>", ".dvc files")
    .option("--outs", "also delete the tracked data from the workspace")
    .option("--json", "print the result as JSON")
    .addHelpText("after", examples("dvx remove data.csv.dvc", "dvx remove images.dvc --outs"))
    .action(async (targets: string[], o: { outs?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { removeOp } = await import("../core/ops/remove.js");
      const res = await removeOp(repo, { cwd: ctx.flags.cwd, targets, outs: o.outs === true });
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { removeText } = await import("../cli/render/remove.js");
      say(ctx, removeText(res));
      printGitFollowups(ctx, res);
    });
}
