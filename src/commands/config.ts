// dvx config: get, set or unset one option (.dvc/config; --local for .dvc/config.local).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { dotDirFor, examples, level, printWarnings, type LevelFlags } from "./common.js";

type ConfigFlags = LevelFlags & { unset?: boolean; json?: boolean };

export function registerConfig(program: Command, ctx: CliContext): void {
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
      examples(
        "dvx config core.autostage true",
        "dvx config cache.type reflink,hardlink,copy",
        "dvx config --local remote.storage.access_key_id AKIA...",
      ),
    )
    .action(async (name: string, value: string | undefined, o: ConfigFlags) => {
      const dotDir = await dotDirFor(ctx);
      const { configOp } = await import("../core/ops/config-set.js");
      const l = level(o);
      const res = await configOp(dotDir, {
        key: name,
        env: ctx.io.env,
        cwd: ctx.flags.cwd,
        unset: o.unset === true,
        ...(value !== undefined ? { value } : {}),
        ...(l ? { level: l } : {}),
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { valueLine } = await import("../cli/render/config.js");
      if (value === undefined && !o.unset) ctx.io.stdout(valueLine(res.value));
    });
}
