// dvx version: dvx, Node and platform versions; inside a repository, the cache and the link types that work.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { Repo } from "../core/repo.js";
import { AppError } from "../errors.js";
import { dvxVersion } from "../version.js";
import { openRepoFor } from "./common.js";

export function registerVersion(program: Command, ctx: CliContext): void {
  program
    .command("version")
    .description("show dvx, Node and platform versions, the cache type and the link types that work here")
    .option("--json", "print the result as JSON")
    .action(async (o: { json?: boolean }) => {
      const { versionOp } = await import("../core/ops/version.js");
      let repo: Repo | undefined;
      try {
        repo = await openRepoFor(ctx, true);
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // outside a repo: versions only
      }
      const info = await versionOp(dvxVersion(), process.version, `${process.platform}-${process.arch}`, repo);
      if (o.json) return ctx.io.stdout(renderJson(info));
      const { versionText } = await import("../cli/render/version.js");
      ctx.io.stdout(versionText(info));
    });
}
