// dvx stage add / stage list, freeze, unfreeze: declare, list and pin pipeline stages in dvc.yaml.
import { Option, type Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, printGitFollowups } from "./common.js";

interface AddFlags {
  name: string;
  deps: string[];
  outs: string[];
  outsNoCache: string[];
  params: string[];
  metrics: string[];
  metricsNoCache: string[];
  plots: string[];
  plotsNoCache: string[];
  outsPersist: string[];
  outsPersistNoCache: string[];
  wdir?: string;
  force?: boolean;
  alwaysChanged?: boolean;
  desc?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function registerAdd(stage: Command, ctx: CliContext): void {
  stage
    .command("add")
    .description("add a stage to the dvc.yaml of the current directory (written as DVC writes it)")
    .requiredOption("-n, --name <name>", "name of the stage")
    .option("-d, --deps <path>", "a dependency (repeatable)", collect, [])
    .option("-o, --outs <path>", "an output, cached (repeatable)", collect, [])
    .option("-O, --outs-no-cache <path>", "an output not stored in the cache (repeatable)", collect, [])
    .option(
      "-p, --params <[file:]keys>",
      "params: key1,key2 of params.yaml, file:key1,key2, or file: (all)",
      collect,
      [],
    )
    .option("-m, --metrics <path>", "a metrics file (repeatable)", collect, [])
    .option("-M, --metrics-no-cache <path>", "a metrics file not stored in the cache", collect, [])
    .option("--plots <path>", "a plots file (repeatable)", collect, [])
    .option("--plots-no-cache <path>", "a plots file not stored in the cache", collect, [])
    .option("--outs-persist <path>", "an output not removed before the command runs", collect, [])
    .option("--outs-persist-no-cache <path>", "a persistent output not stored in the cache", collect, [])
    .option("-w, --wdir <dir>", "directory to run the command in (paths are relative to it)")
    .option("-f, --force", "overwrite a stage of the same name")
    .option("--always-changed", "always run the stage")
    .option("--desc <text>", "a description of the stage")
    .option("--json", "print the result as JSON")
    .argument("<command...>", "the command (quote it, or put it after --)")
    .passThroughOptions()
    .addHelpText(
      "after",
      examples(
        "dvx stage add -n prepare -d data.csv -o prepared python prep.py",
        "dvx stage add -n train -d prepared -p lr,epochs -o model -M metrics.json -- python train.py -v",
      ),
    )
    .action(async (command: string[], o: AddFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { stageAddOp } = await import("../core/ops/stage-add.js");
      const { joinCommand } = await import("../pipeline/stage-write.js");
      const res = await stageAddOp(repo, {
        cwd: ctx.flags.cwd,
        name: o.name,
        cmd: joinCommand(command),
        deps: o.deps,
        outs: o.outs,
        outsNoCache: o.outsNoCache,
        outsPersist: o.outsPersist,
        outsPersistNoCache: o.outsPersistNoCache,
        metrics: o.metrics,
        metricsNoCache: o.metricsNoCache,
        plots: o.plots,
        plotsNoCache: o.plotsNoCache,
        params: o.params,
        ...(o.wdir !== undefined ? { wdir: o.wdir } : {}),
        force: o.force === true,
        alwaysChanged: o.alwaysChanged === true,
        ...(o.desc !== undefined ? { desc: o.desc } : {}),
      });
      if (o.json) return ctx.io.stdout(renderJson(res));
      if (!ctx.flags.quiet) {
        const verb = res.action === "added" ? "Adding" : "Modifying";
        ctx.io.stderr(`${verb} stage '${o.name}' in '${res.file}'\n`);
      }
      printGitFollowups(ctx, res);
    });
}

function registerList(stage: Command, ctx: CliContext): void {
  stage
    .command("list")
    .description("list stages with their description, or what they output and report")
    .argument("[targets...]", "dvc.yaml/.dvc files, stages or groups (default: ./dvc.yaml)")
    .option("--all", "every stage and .dvc file of the project")
    .option("-R, --recursive", "targets are directories: every stage under them")
    .option("--name-only", "only the stage names")
    .addOption(new Option("--names-only").hideHelp())
    .option("--json", "print the stages as JSON")
    .action(
      async (
        targets: string[],
        o: { all?: boolean; recursive?: boolean; nameOnly?: boolean; namesOnly?: boolean; json?: boolean },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { stageListOp } = await import("../core/ops/stage-list.js");
        const entries = await stageListOp(repo, {
          cwd: ctx.flags.cwd,
          targets,
          all: o.all === true,
          recursive: o.recursive === true,
        });
        if (o.json) return ctx.io.stdout(renderJson(entries));
        const { stageListText } = await import("../cli/render/stage-list.js");
        ctx.io.stdout(stageListText(entries, o.nameOnly === true || o.namesOnly === true));
      },
    );
}

function registerFreeze(program: Command, ctx: CliContext, frozen: boolean): void {
  const name = frozen ? "freeze" : "unfreeze";
  program
    .command(name)
    .description(
      frozen
        ? "freeze stages: repro neither runs them nor what they depend on (sets frozen: true)"
        : "unfreeze stages (removes frozen: true)",
    )
    .argument("<stages...>", "stage names or addresses (dir/dvc.yaml:name, name@key), or .dvc files")
    .option("--json", "print the result as JSON")
    .action(async (targets: string[], o: { json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { freezeOp } = await import("../core/ops/freeze.js");
      const res = await freezeOp(repo, { cwd: ctx.flags.cwd, targets, frozen });
      if (o.json) return ctx.io.stdout(renderJson(res));
      printGitFollowups(ctx, res);
    });
}

export function registerStageCommands(program: Command, ctx: CliContext): void {
  const stage = program.command("stage").description("add and list pipeline stages").enablePositionalOptions();
  registerAdd(stage, ctx);
  registerList(stage, ctx);
  for (const c of stage.commands) c.exitOverride().configureOutput(program.configureOutput());
  registerFreeze(program, ctx, true);
  registerFreeze(program, ctx, false);
}
