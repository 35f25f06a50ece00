// `dvx gc` action: scope check, confirmation (TTY prompt or -f), local and optional remote sweep.
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { UsageError } from "../errors.js";
import { openRepoFor, printWarnings } from "./common.js";

export interface GcFlags {
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

export async function runGc(ctx: CliContext, o: GcFlags): Promise<void> {
  const { requireScope, gcOp } = await import("../core/ops/gc.js");
  requireScope({ workspace: o.workspace === true, allBranches: o.allBranches, allTags: o.allTags });
  const repo = await openRepoFor(ctx, o.json === true);
  const confirm = async (what: string, s: { remove: number; keep: number }): Promise<boolean> => {
    if (o.force) return true;
    if (!ctx.io.confirm) {
      throw new UsageError(`gc would delete ${s.remove} object(s) from the ${what} and needs confirmation`, {
        hint: "run it in a terminal, or add -f to confirm (try --dry first)",
      });
    }
    return ctx.io.confirm(`This will delete ${s.remove} object(s) from the ${what} and keep ${s.keep}. Continue?`);
  };
  const scope = { workspace: true, allBranches: o.allBranches === true, allTags: o.allTags === true };
  const local = await gcOp(repo, {
    ...scope,
    dry: o.dry === true,
    confirm: (s) => confirm("cache", s),
  });
  printWarnings(ctx, local.warnings);
  let cloud: unknown;
  if (o.cloud) {
    const { remoteGcOp } = await import("../core/ops/remote-gc.js");
    cloud = await remoteGcOp(repo, {
      ...scope,
      dry: o.dry === true,
      ...(o.remote ? { remote: o.remote } : {}),
      ...(o.jobs ? { jobs: o.jobs } : {}),
      confirm: (s) => confirm("remote", s),
    });
  }
  if (o.json) return ctx.io.stdout(renderJson(o.cloud ? { local, cloud } : local));
  const verb = o.dry ? "would remove" : "removed";
  if (local.aborted) ctx.io.stderr("gc aborted, nothing was deleted\n");
  else ctx.io.stdout(`${verb} ${local.removed.length} object(s) from the cache, kept ${local.kept}\n`);
  if (cloud) {
    const c = cloud as { removed: string[]; kept: number; aborted: boolean; remote: string };
    if (c.aborted) ctx.io.stderr("remote gc aborted, nothing was deleted\n");
    else ctx.io.stdout(`${verb} ${c.removed.length} object(s) from remote '${c.remote}', kept ${c.kept}\n`);
  }
}
