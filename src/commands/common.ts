// Shared plumbing for command actions: open the repo, pick the renderer, lock timeout from env.
import { InvalidArgumentError } from "commander";
import type { CliContext } from "../cli/context.js";
import type { Repo } from "../core/repo.js";

export async function openRepoFor(ctx: CliContext, json: boolean): Promise<Repo> {
  const { openRepo } = await import("../core/repo.js");
  return openRepo({ cwd: ctx.flags.cwd, env: ctx.io.env, umask: ctx.io.umask, reporter: ctx.reporter(json) });
}

export function printWarnings(ctx: CliContext, warnings: readonly string[]): void {
  if (ctx.flags.quiet) return;
  for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
}

/** The closing git hint (or a note that the files were staged). */
export function printGitFollowups(ctx: CliContext, f: { gitAdd: string[]; staged: boolean }): void {
  if (ctx.flags.quiet || f.gitAdd.length === 0) return;
  const quoted = f.gitAdd.map((p) => (/[\s'"$]/.test(p) ? `'${p.replace(/'/g, "'\\''")}'` : p)).join(" ");
  if (f.staged) ctx.io.stderr(`staged with git: ${quoted}\n`);
  else
    ctx.io.stderr(
      `\nTo track the changes with git, run:\n\n\tgit add ${quoted}\n\n` +
        `To enable auto staging, run:\n\n\tdvx config core.autostage true\n`,
    );
}

/** commander argument parser for -j/--jobs: a positive integer, else a usage error (exit 2). */
export function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--jobs must be a positive integer, not '${v}'`);
  return n;
}
