// dvx push, fetch, pull: move tracked data between the cache and a remote (pull also checks it out).
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { RemoteCommandOptions } from "../core/data/transfer-scope.js";
import { examples, openRepoFor, parseJobs, printWarnings, say } from "./common.js";

interface TransferFlags {
  remote?: string;
  jobs?: number;
  allBranches?: boolean;
  allTags?: boolean;
  force?: boolean;
  runCache?: boolean;
  json?: boolean;
}

export function registerPushPull(program: Command, ctx: CliContext): void {
  const common = (c: Command): Command =>
    c
      .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
      .option("-r, --remote <name>", "remote to use (default: core.remote)")
      .option("-j, --jobs <n>", "objects in flight (default: the remote's jobs, else S3 64, directory 16)", parseJobs)
      .option("--run-cache", "also the run cache: recorded stage runs and the outputs they restore")
      .option("--json", "print a summary as JSON");
  common(program.command("push").description("upload tracked data from the cache to a remote"))
    .option("-a, --all-branches", "also push what every branch uses")
    .option("-T, --all-tags", "also push what every tag uses")
    .addHelpText("after", examples("dvx push", "dvx push -r backup -j 32 images.dvc", "dvx push -a -T"))
    .action((targets: string[], o: TransferFlags) => push(ctx, targets, o));
  common(program.command("fetch").description("download tracked data from a remote into the cache (no checkout)"))
    .option("-a, --all-branches", "also fetch what every branch uses")
    .option("-T, --all-tags", "also fetch what every tag uses")
    .addHelpText("after", examples("dvx fetch", "dvx fetch -r storage data.csv.dvc"))
    .action((targets: string[], o: TransferFlags) => fetch(ctx, targets, o));
  common(program.command("pull").description("fetch, then check out the data in the workspace"))
    .option("-f, --force", "overwrite workspace changes that are not in the cache")
    .addHelpText("after", examples("git clone <repo> && cd <repo> && dvx pull", "dvx pull images.dvc"))
    .action((targets: string[], o: TransferFlags) => pull(ctx, targets, o));
}

const options = (ctx: CliContext, targets: string[], o: TransferFlags): RemoteCommandOptions => ({
  cwd: ctx.flags.cwd,
  targets,
  allBranches: o.allBranches === true,
  allTags: o.allTags === true,
  runCache: o.runCache === true,
  ...(o.remote ? { remote: o.remote } : {}),
  ...(o.jobs ? { jobs: o.jobs } : {}),
});

async function push(ctx: CliContext, targets: string[], o: TransferFlags): Promise<void> {
  const repo = await openRepoFor(ctx, o.json === true);
  const { pushOp } = await import("../core/ops/push.js");
  const res = await pushOp(repo, options(ctx, targets, o));
  printWarnings(ctx, res.warnings);
  if (o.json) return ctx.io.stdout(renderJson(res));
  const { pushText } = await import("../cli/render/transfer.js");
  say(ctx, pushText(res));
}

async function fetch(ctx: CliContext, targets: string[], o: TransferFlags): Promise<void> {
  const repo = await openRepoFor(ctx, o.json === true);
  const { fetchOp } = await import("../core/ops/fetch.js");
  const { outputs: _o, prepared: _p, ...res } = await fetchOp(repo, options(ctx, targets, o));
  printWarnings(ctx, res.warnings);
  if (o.json) return ctx.io.stdout(renderJson(res));
  const { fetchText } = await import("../cli/render/transfer.js");
  say(ctx, fetchText(res));
}

async function pull(ctx: CliContext, targets: string[], o: TransferFlags): Promise<void> {
  const repo = await openRepoFor(ctx, o.json === true);
  const { pullOp } = await import("../core/ops/pull.js");
  const res = await pullOp(repo, { ...options(ctx, targets, o), force: o.force === true });
  printWarnings(ctx, [...res.fetch.warnings, ...res.checkout.warnings]);
  if (o.json) return ctx.io.stdout(renderJson(res));
  const { pullText } = await import("../cli/render/transfer.js");
  say(ctx, pullText(res));
}
