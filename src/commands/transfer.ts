// push, pull, fetch.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { parseJobs } from "./common.js";

export interface TransferFlags {
  remote?: string;
  jobs?: number;
  allBranches?: boolean;
  allTags?: boolean;
  force?: boolean;
  json?: boolean;
}

export function registerTransferCommands(program: Command, ctx: CliContext): void {
  const common = (c: Command): Command =>
    c
      .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
      .option("-r, --remote <name>", "remote to use (default: core.remote)")
      .option("-j, --jobs <n>", "objects in flight (default: the remote's jobs, else S3 64, directory 16)", parseJobs)
      .option("--json", "print a summary as JSON");
  const run = async (kind: "push" | "pull" | "fetch", targets: string[], o: TransferFlags): Promise<void> => {
    const { runTransfer } = await import("./transfer-run.js");
    await runTransfer(ctx, kind, targets, o);
  };
  common(program.command("push").description("upload tracked data from the cache to a remote"))
    .option("-a, --all-branches", "also push what every branch uses")
    .option("-T, --all-tags", "also push what every tag uses")
    .addHelpText("after", "\nExamples:\n  dvx push\n  dvx push -r backup -j 32 images.dvc\n  dvx push -a -T")
    .action((targets: string[], o: TransferFlags) => run("push", targets, o));
  common(program.command("fetch").description("download tracked data from a remote into the cache (no checkout)"))
    .option("-a, --all-branches", "also fetch what every branch uses")
    .option("-T, --all-tags", "also fetch what every tag uses")
    .addHelpText("after", "\nExamples:\n  dvx fetch\n  dvx fetch -r storage data.csv.dvc")
    .action((targets: string[], o: TransferFlags) => run("fetch", targets, o));
  common(program.command("pull").description("fetch, then check out the data in the workspace"))
    .option("-f, --force", "overwrite workspace changes that are not in the cache")
    .addHelpText("after", "\nExamples:\n  git clone <repo> && cd <repo> && dvx pull\n  dvx pull images.dvc")
    .action((targets: string[], o: TransferFlags) => run("pull", targets, o));
}
