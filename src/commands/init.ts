// dvx init: create .dvc/ and .dvcignore.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { examples, say } from "./common.js";

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("create .dvc/ and .dvcignore in the current git repository")
    .option("--no-scm", "work without git (no .gitignore edits, no git hints)")
    .option("-f, --force", "recreate .dvc/ if it exists (deletes its cache)")
    .addHelpText("after", examples("git init && dvx init", "dvx init --no-scm"))
    .action(async (o: { scm: boolean; force?: boolean }) => {
      const { initOp } = await import("../core/ops/init.js");
      await initOp({ root: ctx.flags.cwd, noScm: !o.scm, force: o.force === true });
      const { initText } = await import("../cli/render/init.js");
      say(ctx, initText(o.scm));
    });
}
