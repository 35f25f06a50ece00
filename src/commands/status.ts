// dvx status: workspace vs .dvc files vs cache; with -c (or -r), cache vs a remote.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { Repo } from "../core/repo.js";
import { examples, openRepoFor, parseJobs, printWarnings } from "./common.js";

interface StatusFlags {
  cloud?: boolean;
  remote?: string;
  jobs?: number;
  allBranches?: boolean;
  allTags?: boolean;
  withDeps?: boolean;
  recursive?: boolean;
  json?: boolean;
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .description("show changes between the workspace, the .dvc files and the cache (-c: and a remote)")
    .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
    .option("-c, --cloud", "compare the cache with a remote instead")
    .option("-r, --remote <name>", "remote for --cloud (default: core.remote)")
    .option("-j, --jobs <n>", "parallel remote requests for --cloud", parseJobs)
    .option("-a, --all-branches", "with --cloud: objects of every branch")
    .option("-T, --all-tags", "with --cloud: objects of every tag")
    .option("-d, --with-deps", "also the stages the targets depend on")
    .option("-R, --recursive", "targets are directories: every dvc.yaml and .dvc file under them")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      examples(
        "dvx status",
        "dvx status data.csv.dvc --json",
        "dvx status -c -r storage",
        "dvx status -q || dvx commit     # -q: no output; exit code 1 when something changed",
      ),
    )
    .action(async (targets: string[], o: StatusFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      if (o.cloud || o.remote) return cloudStatus(ctx, repo, targets, o);
      const { statusOp } = await import("../core/ops/status.js");
      const res = await statusOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        withDeps: o.withDeps === true,
        recursive: o.recursive === true,
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res.changes));
      if (quietExit(ctx, res.changes)) return;
      const { STATUS_UP_TO_DATE, statusText } = await import("../cli/render/status.js");
      ctx.io.stdout(Object.keys(res.changes).length === 0 ? STATUS_UP_TO_DATE : statusText(res.changes));
    });
}

async function cloudStatus(ctx: CliContext, repo: Repo, targets: string[], o: StatusFlags): Promise<void> {
  const { cloudStatusOp } = await import("../core/ops/cloud-status.js");
  const res = await cloudStatusOp(repo, {
    cwd: ctx.flags.cwd,
    targets,
    allBranches: o.allBranches === true,
    allTags: o.allTags === true,
    ...(o.remote ? { remote: o.remote } : {}),
    ...(o.jobs ? { jobs: o.jobs } : {}),
  });
  printWarnings(ctx, res.warnings);
  if (o.json) return ctx.io.stdout(renderJson(res.changes));
  if (quietExit(ctx, res.changes)) return;
  const { cloudInSyncText, statusText } = await import("../cli/render/status.js");
  ctx.io.stdout(Object.keys(res.changes).length === 0 ? cloudInSyncText(res.remote) : statusText(res.changes, 1));
}

/** As DVC: with -q nothing is printed and the exit code tells (1 = something changed). */
function quietExit(ctx: CliContext, changes: object): boolean {
  if (ctx.flags.quiet) ctx.exitCode = Object.keys(changes).length === 0 ? 0 : 1;
  return ctx.flags.quiet;
}
