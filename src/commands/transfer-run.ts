// Actions of push/pull/fetch and status -c (loaded only when one of them runs).
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import type { Repo } from "../core/repo.js";
import { openRepoFor, printWarnings } from "./common.js";
import type { TransferFlags } from "./transfer.js";

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

export async function runTransfer(
  ctx: CliContext,
  kind: "push" | "pull" | "fetch",
  targets: string[],
  o: TransferFlags,
): Promise<void> {
  const repo = await openRepoFor(ctx, o.json === true);
  const base = {
    cwd: ctx.flags.cwd,
    targets,
    allBranches: o.allBranches === true,
    allTags: o.allTags === true,
    ...(o.remote ? { remote: o.remote } : {}),
    ...(o.jobs ? { jobs: o.jobs } : {}),
  };
  const say = (s: string): void => {
    if (!ctx.flags.quiet && !o.json) ctx.io.stderr(s);
  };
  if (kind === "push") {
    const { pushOp } = await import("../core/ops/push.js");
    const res = await pushOp(repo, base);
    printWarnings(ctx, res.warnings);
    if (o.json) return ctx.io.stdout(renderJson(res));
    say(
      res.pushed === 0 && res.missingLocally.length === 0
        ? "Everything is up to date.\n"
        : `${plural(res.pushed, "file")} pushed\n`,
    );
    if (res.missingLocally.length > 0)
      say(`${plural(res.missingLocally.length, "file")} missing from the cache and the remote, not pushed\n`);
  } else if (kind === "fetch") {
    const { fetchOp } = await import("../core/ops/fetch.js");
    const { outputs: _o, prepared: _p, ...res } = await fetchOp(repo, base);
    printWarnings(ctx, res.warnings);
    if (o.json) return ctx.io.stdout(renderJson(res));
    say(res.fetched === 0 ? "Everything is up to date.\n" : `${plural(res.fetched, "file")} fetched\n`);
  } else {
    const { pullOp } = await import("../core/ops/pull.js");
    const res = await pullOp(repo, { ...base, force: o.force === true });
    printWarnings(ctx, [...res.fetch.warnings, ...res.checkout.warnings]);
    if (o.json) return ctx.io.stdout(renderJson(res));
    for (const p of res.checkout.changed) say(`A       ${p}\n`);
    say(
      res.fetch.fetched === 0 && res.checkout.changed.length === 0
        ? "Everything is up to date.\n"
        : `${plural(res.fetch.fetched, "file")} fetched, ` +
            `${plural(res.checkout.changed.length, "output")} checked out\n`,
    );
  }
}

export async function cloudStatusCommand(
  ctx: CliContext,
  repo: Repo,
  targets: string[],
  o: TransferFlags,
): Promise<void> {
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
  if (ctx.flags.quiet) return void (ctx.exitCode = Object.keys(res.changes).length === 0 ? 0 : 1);
  if (Object.keys(res.changes).length === 0) return ctx.io.stdout(`Cache and remote '${res.remote}' are in sync.\n`);
  const { statusText } = await import("../cli/render/status-text.js");
  ctx.io.stdout(statusText(res.changes, 1));
}
