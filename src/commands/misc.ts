// version and config.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { AppError } from "../errors.js";
import { openRepoFor, printWarnings } from "./common.js";

type Level = "local" | "global" | "system" | "repo";
const levelOf = (o: { local?: boolean; global?: boolean; system?: boolean; project?: boolean }): Level | undefined =>
  o.local ? "local" : o.global ? "global" : o.system ? "system" : o.project ? "repo" : undefined;

export function registerMiscCommands(program: Command, ctx: CliContext): void {
  program
    .command("version")
    .description("show dvx, Node and platform versions, the cache type and the link types that work here")
    .option("--json", "print the result as JSON")
    .action(async (o: { json?: boolean }) => {
      const { dvxVersion } = await import("../version.js");
      const { versionOp } = await import("../core/ops/version.js");
      let repo;
      try {
        repo = await openRepoFor(ctx, true);
      } catch (err) {
        if (!(err instanceof AppError)) throw err; // outside a repo: versions only
      }
      const info = await versionOp(dvxVersion(), process.version, `${process.platform}-${process.arch}`, repo);
      if (o.json) return ctx.io.stdout(renderJson(info));
      let text = `dvx ${info.dvx}\n---------------------------------\nNode: ${info.node}\nPlatform: ${info.platform}\n`;
      if (info.repo)
        text +=
          `Cache types: ${info.repo.supportedLinks.join(", ")}\nCache directory: ${info.repo.cacheDir}\n` +
          `Configured cache.type: ${info.repo.cacheType.join(",")}\nRepo: ${info.repo.root}\n`;
      ctx.io.stdout(text);
    });

  program
    .command("config")
    .description("get, set or unset a config option (.dvc/config; --local for .dvc/config.local)")
    .argument("<name>", "section.option, e.g. core.autostage or remote.storage.region")
    .argument("[value]", "value to set; omit to print the current value")
    .option("-u, --unset", "remove the option")
    .option("--local", "use .dvc/config.local (git-ignored; for secrets)")
    .option("--project", "use .dvc/config (the default for writes)")
    .option("--global", "use the user's global config")
    .option("--system", "use the system config")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  dvx config core.autostage true\n  dvx config cache.type reflink,hardlink,copy\n" +
        "  dvx config --local remote.storage.access_key_id AKIA...",
    )
    .action(
      async (
        name: string,
        value: string | undefined,
        o: { unset?: boolean; local?: boolean; project?: boolean; global?: boolean; system?: boolean; json?: boolean },
      ) => {
        const { findRepoRoot } = await import("../core/repo.js");
        const { NotInitializedError } = await import("../errors.js");
        const root = findRepoRoot(ctx.flags.cwd);
        if (!root) throw new NotInitializedError(ctx.flags.cwd);
        const { configOp } = await import("../core/ops/config-set.js");
        const level = levelOf(o);
        const res = await configOp(`${root}/.dvc`, {
          key: name,
          env: ctx.io.env,
          cwd: ctx.flags.cwd,
          unset: o.unset === true,
          ...(value !== undefined ? { value } : {}),
          ...(level ? { level } : {}),
        });
        printWarnings(ctx, res.warnings);
        if (o.json) return ctx.io.stdout(renderJson(res));
        if (value === undefined && !o.unset) ctx.io.stdout(`${res.value ?? ""}\n`);
      },
    );
}
