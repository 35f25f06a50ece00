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
    .option("--subdir", "accepted for DVC compatibility: the project must still be at the top of the git repository")
    .option("--example [dir]", "create a new project with the example pipeline in <dir> (default dvx-example)")
    .addHelpText(
      "after",
      examples("git init && dvx init", "dvx init --no-scm", "dvx init --example penguins && cd penguins && dvx repro"),
    )
    .action(async (o: { scm: boolean; force?: boolean; example?: string | boolean }) => {
      if (o.example !== undefined) {
        const { resolve } = await import("node:path");
        const dir = resolve(ctx.flags.cwd, typeof o.example === "string" ? o.example : "dvx-example");
        const { initExampleOp } = await import("../core/ops/init-example.js");
        const res = await initExampleOp({ dir });
        const { initExampleText } = await import("../cli/render/init.js");
        return say(ctx, initExampleText(ctx.flags.cwd, res.dir));
      }
      const { initOp } = await import("../core/ops/init.js");
      await initOp({ root: ctx.flags.cwd, noScm: !o.scm, force: o.force === true });
      const { initText } = await import("../cli/render/init.js");
      say(ctx, initText(o.scm));
    });
}
