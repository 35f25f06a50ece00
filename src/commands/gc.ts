// dvx gc: delete cache (and with -c remote) objects the chosen revisions do not use; asks first unless -f.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { RemoteGcResult } from "../core/ops/remote-gc.js";
import { UsageError } from "../errors.js";
import { examples, openRepoFor, parseJobs, printWarnings } from "./common.js";

interface GcFlags {
  workspace?: boolean;
  allBranches?: boolean;
  allTags?: boolean;
  cloud?: boolean;
  remote?: string;
  jobs?: number;
  dry?: boolean;
  force?: boolean;
  json?: boolean;
}

export function registerGc(program: Command, ctx: CliContext): void {
  program
    .command("gc")
    .description("delete cache objects that the chosen revisions do not use (a scope is required)")
    .option("-w, --workspace", "keep what the workspace uses")
    .option("-a, --all-branches", "also keep what every branch uses")
    .option("-T, --all-tags", "also keep what every tag uses")
    .option("-c, --cloud", "collect garbage in the remote too (same scope)")
    .option("-r, --remote <name>", "remote for --cloud")
    .option("-j, --jobs <n>", "parallel remote requests for --cloud", parseJobs)
    .option("--dry", "only show what would be removed")
    .option("-f, --force", "do not ask for confirmation")
    .option("--json", "print the result as JSON")
    .addHelpText("after", examples("dvx gc -w --dry", "dvx gc -w -a -T -f", "dvx gc -w -c -r storage -f"))
    .action((o: GcFlags) => gc(ctx, o));
}

async function gc(ctx: CliContext, o: GcFlags): Promise<void> {
  const { requireScope, gcOp } = await import("../core/ops/gc.js");
  requireScope({ workspace: o.workspace === true, allBranches: o.allBranches, allTags: o.allTags });
  const repo = await openRepoFor(ctx, o.json === true);
  const { gcLines, gcQuestion } = await import("../cli/render/gc.js");
  const confirm = async (what: string, s: { remove: number; keep: number }): Promise<boolean> => {
    if (o.force) return true;
    if (!ctx.io.confirm) {
      throw new UsageError(`gc would delete ${s.remove} object(s) from the ${what} and needs confirmation`, {
        hint: "run it in a terminal, or add -f to confirm (try --dry first)",
      });
    }
    return ctx.io.confirm(gcQuestion(what, s));
  };
  const scope = { workspace: true, allBranches: o.allBranches === true, allTags: o.allTags === true };
  const dry = o.dry === true;
  const local = await gcOp(repo, { ...scope, dry, confirm: (s) => confirm("cache", s) });
  printWarnings(ctx, local.warnings);
  let cloud: RemoteGcResult | undefined;
  if (o.cloud) {
    const { remoteGcOp } = await import("../core/ops/remote-gc.js");
    cloud = await remoteGcOp(repo, {
      ...scope,
      dry,
      ...(o.remote ? { remote: o.remote } : {}),
      ...(o.jobs ? { jobs: o.jobs } : {}),
      confirm: (s) => confirm("remote", s),
    });
  }
  if (o.json) return ctx.io.stdout(renderJson(o.cloud ? { local, cloud } : local));
  for (const line of gcLines(local, cloud, dry)) ctx.io[line.stream](line.text);
}
