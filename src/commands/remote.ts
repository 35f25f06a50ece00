// dvx remote add|modify|list|remove|default|rename — edits .dvc/config (or config.local with --local).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { NotInitializedError } from "../errors.js";
import { printWarnings } from "./common.js";

type LevelFlags = { local?: boolean; global?: boolean; system?: boolean; project?: boolean; json?: boolean };
const level = (o: LevelFlags): "local" | "global" | "system" | "repo" | undefined =>
  o.local ? "local" : o.global ? "global" : o.system ? "system" : o.project ? "repo" : undefined;

export function registerRemoteCommands(program: Command, ctx: CliContext): void {
  const remote = program
    .command("remote")
    .description("manage remotes (where push/pull move data): add, modify, list, remove, default, rename")
    .addHelpText(
      "after",
      "\nExamples:\n  dvx remote add -d storage s3://my-bucket/dvcstore\n  dvx remote modify storage endpointurl http://127.0.0.1:9000\n  dvx remote modify --local storage secret_access_key ...\n  dvx remote add backup /mnt/backup/dvc\n  dvx remote list",
    );
  const withLevel = (c: Command): Command =>
    c
      .option("--local", "use .dvc/config.local (git-ignored; the place for secrets)")
      .option("--project", "use .dvc/config (default)")
      .option("--global", "use the user's global config")
      .option("--system", "use the system config")
      .option("--json", "print the result as JSON");
  const dotDir = async (): Promise<string> => {
    const { findRepoRoot } = await import("../core/repo.js");
    const root = findRepoRoot(ctx.flags.cwd);
    if (!root) throw new NotInitializedError(ctx.flags.cwd);
    return `${root}/.dvc`;
  };
  const ops = () => import("../core/ops/remote-config.js");
  const done = (o: LevelFlags, res: { warnings: string[] }, msg?: string): void => {
    printWarnings(ctx, res.warnings);
    if (o.json) ctx.io.stdout(renderJson(res));
    else if (msg && !ctx.flags.quiet) ctx.io.stderr(msg);
  };
  const env = (o: LevelFlags) => ({ env: ctx.io.env, ...(level(o) ? { level: level(o)! } : {}) });

  withLevel(
    remote
      .command("add")
      .description("add a remote")
      .argument("<name>")
      .argument("<url>", "s3://bucket/prefix or a directory path"),
  )
    .option("-d, --default", "make it the default remote")
    .option("-f, --force", "replace a remote of the same name")
    .action(async (name: string, url: string, o: LevelFlags & { default?: boolean; force?: boolean }) => {
      const res = await (
        await ops()
      ).remoteAdd(await dotDir(), {
        ...env(o),
        name,
        url,
        cwd: ctx.flags.cwd,
        default: o.default === true,
        force: o.force === true,
      });
      done(o, res);
    });
  withLevel(
    remote
      .command("modify")
      .description("set or unset an option of a remote")
      .argument("<name>")
      .argument("<option>")
      .argument("[value]"),
  )
    .option("-u, --unset", "remove the option")
    .action(async (name: string, option: string, value: string | undefined, o: LevelFlags & { unset?: boolean }) => {
      const res = await (
        await ops()
      ).remoteModify(await dotDir(), {
        ...env(o),
        name,
        option,
        cwd: ctx.flags.cwd,
        unset: o.unset === true,
        ...(value !== undefined ? { value } : {}),
      });
      done(o, res);
    });
  withLevel(remote.command("list").description("list remotes (name, url; the default is marked)")).action(
    async (o: LevelFlags) => {
      const res = await (await ops()).remoteList(await dotDir(), env(o));
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      for (const r of res.remotes) ctx.io.stdout(`${r.name}\t${r.url}${r.isDefault ? "\t(default)" : ""}\n`);
    },
  );
  withLevel(
    remote.command("remove").description("remove a remote (and the default setting that names it)").argument("<name>"),
  ).action(async (name: string, o: LevelFlags) => {
    done(o, await (await ops()).remoteRemove(await dotDir(), { ...env(o), name }));
  });
  withLevel(remote.command("default").description("print, set or unset the default remote").argument("[name]"))
    .option("-u, --unset", "unset the default remote")
    .action(async (name: string | undefined, o: LevelFlags & { unset?: boolean }) => {
      const res = await (
        await ops()
      ).remoteDefault(await dotDir(), { ...env(o), unset: o.unset === true, ...(name !== undefined ? { name } : {}) });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      if (name === undefined && !o.unset) ctx.io.stdout(`${res.name ?? ""}\n`);
    });
  withLevel(remote.command("rename").description("rename a remote").argument("<name>").argument("<new>")).action(
    async (name: string, newName: string, o: LevelFlags) => {
      done(o, await (await ops()).remoteRename(await dotDir(), { ...env(o), name, newName }));
    },
  );
}
