// dvx checkout: restore tracked data in the workspace from the cache.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printWarnings, say } from "./common.js";

export function registerCheckout(program: Command, ctx: CliContext): void {
  program
    .command("checkout")
    .description("restore tracked data in the workspace from the cache")
    .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
    .option("-f, --force", "overwrite changes that are not in the cache")
    .option("--relink", "re-create every link/copy even when the content matches")
    .option("--json", "print the result as JSON")
    .addHelpText("after", examples("git checkout v1 && dvx checkout", "dvx checkout images.dvc --relink"))
    .action(async (targets: string[], o: { force?: boolean; relink?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { checkoutOp } = await import("../core/ops/checkout.js");
      const res = await checkoutOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        force: o.force === true,
        relink: o.relink === true,
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { checkoutLines } = await import("../cli/render/checkout.js");
      say(ctx, checkoutLines("M", res.changed));
    });
}
