// dvx add: hash files or directories into the cache and write <target>.dvc.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printGitFollowups, say } from "./common.js";

interface AddFlags {
  glob?: boolean;
  out?: string;
  commit: boolean;
  desc?: string;
  json?: boolean;
}

export function registerAdd(program: Command, ctx: CliContext): void {
  program
    .command("add")
    .description("track files or directories: hash them into the cache and write <target>.dvc")
    .argument("<targets...>", "files or directories to track")
    .option("--glob", "expand wildcards (*, ?, [..], **) in targets")
    .option("-o, --out <path>", "copy the (possibly outside) target to <path> in the repo and track that")
    .option("--no-commit", "write the .dvc file but do not store the data in the cache")
    .option("--desc <text>", "a description stored in the .dvc file")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      examples("dvx add data/raw.csv", "dvx add images/ models/model.pkl", "dvx add --glob 'data/*.csv'"),
    )
    .action(async (targets: string[], o: AddFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { addOp } = await import("../core/ops/add.js");
      const res = await addOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        glob: o.glob === true,
        noCommit: !o.commit,
        ...(o.out !== undefined ? { out: o.out } : {}),
        ...(o.desc !== undefined ? { desc: o.desc } : {}),
      });
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { addText } = await import("../cli/render/add.js");
      say(ctx, addText(res));
      printGitFollowups(ctx, res);
    });
}
