// dvx remote add|modify|list|remove|default|rename — edits .dvc/config (or config.local with --local).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { dotDirFor, examples, level, printWarnings, type LevelFlags } from "./common.js";

type RemoteFlags = LevelFlags & { json?: boolean };

export function registerRemote(program: Command, ctx: CliContext): void {
  const remote = program
    .command("remote")
    .description("manage remotes (where push/pull move data): add, modify, list, remove, default, rename")
    .addHelpText(
      "after",
      examples(
        "dvx remote add -d storage s3://my-bucket/dvcstore",
        "dvx remote modify storage endpointurl http://127.0.0.1:9000",
        "dvx remote modify --local storage secret_access_key ...",
        "dvx remote add backup /mnt/backup/dvc",
        "dvx remote list",
      ),
    );
  const withLevel = (c: Command): Command =>
    c
      .option("--local", "use .dvc/config.local (git-ignored; the place for secrets)")
      .option("--project", "use .dvc/config (default)")
      .option("--global", "use the user's global config")
      .option("--system", "use the system config")
      .option("--json", "print the result as JSON");
  const ops = () => import("../core/ops/remote-config.js");
  const base = (o: RemoteFlags) => {
    const l = level(o);
    return { env: ctx.io.env, ...(l ? { level: l } : {}) };
  };
  /** Edits print nothing but their warnings (and the result with --json). */
  const done = (o: RemoteFlags, res: { warnings: string[] }): void => {
    printWarnings(ctx, res.warnings);
    if (o.json) ctx.io.stdout(renderJson(res));
  };

  withLevel(
    remote
      .command("add")
      .description("add a remote")
      .argument("<name>")
      .argument("<url>", "s3://bucket/prefix or a directory path"),
  )
    .option("-d, --default", "make it the default remote")
    .option("-f, --force", "replace a remote of the same name")
    .action(async (name: string, url: string, o: RemoteFlags & { default?: boolean; force?: boolean }) => {
      const { remoteAdd } = await ops();
      const res = await remoteAdd(await dotDirFor(ctx), {
        ...base(o),
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
    .action(async (name: string, option: string, value: string | undefined, o: RemoteFlags & { unset?: boolean }) => {
      const { remoteModify } = await ops();
      const res = await remoteModify(await dotDirFor(ctx), {
        ...base(o),
        name,
        option,
        cwd: ctx.flags.cwd,
        unset: o.unset === true,
        ...(value !== undefined ? { value } : {}),
      });
      done(o, res);
    });
  withLevel(remote.command("list").description("list remotes (name, url; the default is marked)")).action(
    async (o: RemoteFlags) => {
      const { remoteList } = await ops();
      const res = await remoteList(await dotDirFor(ctx), base(o));
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { remoteListText } = await import("../cli/render/remote.js");
      ctx.io.stdout(remoteListText(res.remotes));
    },
  );
  withLevel(
    remote.command("remove").description("remove a remote (and the default setting that names it)").argument("<name>"),
  ).action(async (name: string, o: RemoteFlags) => {
    const { remoteRemove } = await ops();
    done(o, await remoteRemove(await dotDirFor(ctx), { ...base(o), name }));
  });
  withLevel(remote.command("default").description("print, set or unset the default remote").argument("[name]"))
    .option("-u, --unset", "unset the default remote")
    .action(async (name: string | undefined, o: RemoteFlags & { unset?: boolean }) => {
      const { remoteDefault } = await ops();
      const res = await remoteDefault(await dotDirFor(ctx), {
        ...base(o),
        unset: o.unset === true,
        ...(name !== undefined ? { name } : {}),
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { valueLine } = await import("../cli/render/config.js");
      if (name === undefined && !o.unset) ctx.io.stdout(valueLine(res.name));
    });
  withLevel(remote.command("rename").description("rename a remote").argument("<name>").argument("<new>")).action(
    async (name: string, newName: string, o: RemoteFlags) => {
      const { remoteRename } = await ops();
      done(o, await remoteRename(await dotDirFor(ctx), { ...base(o), name, newName }));
    },
  );
}
