// The commander tree. Parse errors become UsageError (exit 2); help and version exit 0.
import { Command, CommanderError } from "commander";
import { UsageError } from "../errors.js";
import type { CliContext } from "./context.js";
import type { CliIo } from "./io.js";
import { terminalReporter } from "./render/progress.js";
import { dvxVersion } from "../version.js";
import { examples } from "../commands/common.js";
import { registerInit } from "../commands/init.js";
import { registerAdd } from "../commands/add.js";
import { registerStatus } from "../commands/status.js";
import { registerCommit } from "../commands/commit.js";
import { registerCheckout } from "../commands/checkout.js";
import { registerDiff } from "../commands/diff.js";
import { registerRemove } from "../commands/remove.js";
import { registerGc } from "../commands/gc.js";
import { registerPushPull } from "../commands/push-pull.js";
import { registerRemote } from "../commands/remote.js";
import { registerVersion } from "../commands/version.js";
import { registerConfig } from "../commands/config.js";
import { registerRepro } from "../commands/repro.js";
import { registerCi } from "../commands/ci.js";
import { registerDag } from "../commands/dag.js";
import { registerStageCommands } from "../commands/stage.js";
import { registerMetrics } from "../commands/metrics.js";
import { registerParams } from "../commands/params.js";
import { registerPlots } from "../commands/plots.js";
import { registerExp } from "../commands/exp.js";
import { registerQueue } from "../commands/queue.js";
import { registerRuns } from "../commands/runs.js";

/** The commands in `dvx --help` order; each register<Name>(program, ctx) adds one command or family. */
const COMMANDS: Array<(program: Command, ctx: CliContext) => void> = [
  registerInit,
  registerAdd,
  registerStatus,
  registerCommit,
  registerCheckout,
  registerDiff,
  registerRemove,
  registerGc,
  registerPushPull,
  registerRemote,
  registerVersion,
  registerConfig,
  registerRepro,
  registerDag,
  registerStageCommands,
  registerMetrics,
  registerParams,
  registerPlots,
  registerExp,
  registerQueue,
  registerRuns,
  registerCi,
];

export async function runProgram(argv: string[], io: CliIo): Promise<number> {
  const program = new Command("dvx");
  let started = Date.now();
  const ctx: CliContext = {
    io,
    argv,
    flags: { quiet: false, verbose: false, cwd: io.cwd },
    reporter: (json) => terminalReporter(io, { quiet: ctx.flags.quiet || json, verbose: ctx.flags.verbose, json }),
    exitCode: 0,
  };
  program
    .description("Fast, git-integrated data versioning for DVC 3 repositories")
    .version(dvxVersion(), "-V, --version", "print the dvx version")
    .option("-q, --quiet", "print nothing on stderr except errors")
    .option("-v, --verbose", "print debug information (timings, resolved paths) on stderr")
    .option("-C, --cwd <dir>", "run as if dvx was started in <dir>")
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: () => {} })
    .exitOverride()
    .hook("preAction", (_this, action) => {
      const g = program.opts<{ quiet?: boolean; verbose?: boolean; cwd?: string }>();
      const local = action.opts<{ quiet?: boolean; verbose?: boolean }>();
      ctx.flags.quiet = Boolean(g.quiet ?? local.quiet);
      ctx.flags.verbose = Boolean(g.verbose ?? local.verbose);
      if (g.cwd) ctx.flags.cwd = resolveCwd(io.cwd, g.cwd);
      started = Date.now();
    })
    .hook("postAction", (_this, action) => {
      if (ctx.flags.verbose) io.stderr(`debug: ${action.name()} took ${Date.now() - started} ms\n`);
    });
  program.addHelpText(
    "after",
    examples(
      "dvx init                      set up .dvc/ in a git repository",
      "dvx add data/raw.csv images   track a file and a directory",
      "dvx status                    what changed since the last add/commit",
      "dvx push -r storage           upload the data to a remote",
      "dvx diff HEAD~1 --md          data changes since the previous commit",
    ) +
      "\n\nExit codes: 0 ok, 1 failed, 2 usage, 3 not a repo, 4 config, 5 integrity,\n" +
      "6 pipeline, 7 remote I/O, 8 lock busy, 9 authentication failed (GitHub),\n" +
      "70 internal error (see README).",
  );
  for (const register of COMMANDS) register(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput(program.configureOutput());
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help")
        return 0;
      throw new UsageError(err.message.replace(/^error: /, ""), { hint: 'run "dvx --help" or "dvx <command> --help"' });
    }
    throw err;
  }
  return ctx.exitCode;
}

function resolveCwd(base: string, dir: string): string {
  return dir.startsWith("/") ? dir : `${base}/${dir}`;
}
