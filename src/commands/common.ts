// Shared plumbing for command actions: open the repo, write to the streams, the flags several commands share.
import { InvalidArgumentError } from "commander";
import type { CliContext } from "../cli/context.js";
import { gitFollowupsText } from "../cli/render/git-followups.js";
import type { Repo } from "../core/repo.js";
import { AppError, NotInitializedError } from "../errors.js";

export async function openRepoFor(ctx: CliContext, json: boolean): Promise<Repo> {
  const { openRepo } = await import("../core/repo.js");
  return openRepo({ cwd: ctx.flags.cwd, env: ctx.io.env, umask: ctx.io.umask, reporter: ctx.reporter(json) });
}

/** The .dvc directory of the repository around the working directory (config edits need no full repo). */
export async function dotDirFor(ctx: CliContext): Promise<string> {
  const { findRepoRoot } = await import("../core/repo.js");
  const root = findRepoRoot(ctx.flags.cwd);
  if (!root) throw new NotInitializedError(ctx.flags.cwd);
  return `${root}/.dvc`;
}

/** Human messages go to stderr, and -q silences them. */
export function say(ctx: CliContext, text: string): void {
  if (!ctx.flags.quiet && text !== "") ctx.io.stderr(text);
}

export function printWarnings(ctx: CliContext, warnings: readonly string[]): void {
  if (ctx.flags.quiet) return;
  for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
}

/** A run record that could not be written: a warning (the run's own outcome stands). */
export function warnRecord(ctx: CliContext, e: unknown): void {
  if (!(e instanceof AppError)) throw e;
  printWarnings(ctx, [`the run record was not written: ${e.message}`]);
}

/** The closing git hint (or a note that the files were staged). */
export function printGitFollowups(ctx: CliContext, f: { gitAdd: string[]; staged: boolean }): void {
  say(ctx, gitFollowupsText(f));
}

/** commander argument parser for -j/--jobs: a positive integer, else a usage error (exit 2). */
export function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--jobs must be a positive integer, not '${v}'`);
  return n;
}

/** --local / --project / --global / --system of `config` and `remote`. */
export interface LevelFlags {
  local?: boolean;
  project?: boolean;
  global?: boolean;
  system?: boolean;
}
export type ConfigLevel = "local" | "global" | "system" | "repo";

/** The config file a level flag picks (undefined: the command's default). */
export const level = (o: LevelFlags): ConfigLevel | undefined =>
  o.local ? "local" : o.global ? "global" : o.system ? "system" : o.project ? "repo" : undefined;

/** The "Examples:" block of a command's --help (pass it to addHelpText("after", …)). */
export const examples = (...lines: string[]): string => `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}`;
