// dvx exp list / branch / remove / rename / clean / push / pull: what works on experiment refs.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { examples, openRepoFor, parseJobs, printWarnings, say } from "./common.js";

const render = () => import("../cli/render/exp.js");

interface TransferFlags {
  allCommits?: boolean;
  force?: boolean;
  cache: boolean;
  remote?: string;
  jobs?: number;
  runCache?: boolean;
  json?: boolean;
}

export function registerExpRefs(exp: Command, ctx: CliContext): void {
  exp
    .command("list")
    .alias("ls")
    .description("list the experiments of the current commit (or of all commits)")
    .option("-A, --all-commits", "experiments of every baseline commit")
    .option("--name-only", "only the names, one per line")
    .option("--json", "print them as JSON")
    .action(async (o: { allCommits?: boolean; nameOnly?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expListOp } = await import("../core/ops/exp-list.js");
      const res = await expListOp(repo, { allCommits: o.allCommits === true });
      if (o.json) return ctx.io.stdout(renderJson(res));
      ctx.io.stdout((await render()).expListText(res, o.nameOnly === true));
    });

  exp
    .command("branch")
    .description("create a git branch at an experiment's commit")
    .argument("<experiment>", "name, full ref or commit of the experiment")
    .argument("[branch]", "branch name (default: <experiment>-branch)")
    .option("--json", "print the result as JSON")
    .action(async (name: string, branch: string | undefined, o: { json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expBranchOp } = await import("../core/ops/exp-branch.js");
      const res = await expBranchOp(repo, { name, ...(branch !== undefined ? { branch } : {}) });
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).expBranchText(res));
    });

  exp
    .command("remove")
    .alias("rm")
    .description("delete experiments (their refs; the data stays in the cache until gc)")
    .argument("[experiments...]", "names, full refs or commits")
    .option("-A, --all-commits", "every experiment of every baseline")
    .option("--queue", "remove queued experiments instead (the named ones, or all that wait)")
    .option("--json", "print the removed experiments as JSON")
    .action(async (names: string[], o: { allCommits?: boolean; queue?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      if (o.queue) {
        const { queueRemoveOp } = await import("../core/ops/queue-remove.js");
        const res = await queueRemoveOp(repo, { names, queued: names.length === 0 });
        if (o.json) return ctx.io.stdout(renderJson(res));
        return say(ctx, (await import("../cli/render/queue.js")).queueRemoveText(res));
      }
      const { expRemoveOp } = await import("../core/ops/exp-remove.js");
      const res = await expRemoveOp(repo, { names, allCommits: o.allCommits === true });
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).expRemoveText(res.removed));
    });

  exp
    .command("rename")
    .description("rename an experiment (same baseline, same commit)")
    .argument("<experiment>", "current name")
    .argument("<new-name>", "new name")
    .option("-f, --force", "replace an experiment that already has the new name")
    .option("--json", "print the result as JSON")
    .action(async (name: string, newName: string, o: { force?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expRenameOp } = await import("../core/ops/exp-rename.js");
      const res = await expRenameOp(repo, { name, newName, force: o.force === true });
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).expRenameText(res));
    });

  exp
    .command("clean")
    .description("remove leftovers of experiment runs (auxiliary refs, stale ref locks, temporary files)")
    .option("--json", "print what was removed as JSON")
    .action(async (o: { json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expCleanOp } = await import("../core/ops/exp-clean.js");
      const res = await expCleanOp(repo);
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).expCleanText(res));
    });

  const transfer = (c: Command): Command =>
    c
      .argument("<git-remote>", "git remote name or URL")
      .argument("[experiments...]", "names (default: the experiments of the current commit)")
      .option("-A, --all-commits", "every experiment of every baseline")
      .option("-f, --force", "replace experiments that hold another commit on the other side")
      .option("--no-cache", "only the refs, not the data")
      .option("-r, --remote <name>", "dvx remote for the data (default: core.remote)")
      .option("-j, --jobs <n>", "parallel data transfers", parseJobs)
      .option("--run-cache", "also the run cache")
      .option("--json", "print the result as JSON");
  const options = (names: string[], gitRemote: string, o: TransferFlags) => ({
    gitRemote,
    names,
    allCommits: o.allCommits === true,
    force: o.force === true,
    noCache: !o.cache,
    runCache: o.runCache === true,
    ...(o.remote !== undefined ? { remote: o.remote } : {}),
    ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
  });

  transfer(exp.command("push").description("share experiments: refs to a git remote, data to the dvx remote"))
    .addHelpText("after", examples("dvx exp push origin lr-small", "dvx exp push origin -A --no-cache"))
    .action(async (gitRemote: string, names: string[], o: TransferFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expPushOp } = await import("../core/ops/exp-push.js");
      const res = await expPushOp(repo, options(names, gitRemote, o));
      printWarnings(ctx, res.data?.warnings ?? []);
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).expPushText(res, gitRemote));
    });

  transfer(exp.command("pull").description("get experiments: refs from a git remote, data from the dvx remote"))
    .addHelpText("after", examples("dvx exp pull origin lr-small && dvx exp apply lr-small"))
    .action(async (gitRemote: string, names: string[], o: TransferFlags) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { expPullOp } = await import("../core/ops/exp-pull.js");
      const res = await expPullOp(repo, options(names, gitRemote, o));
      printWarnings(ctx, res.data?.warnings ?? []);
      if (o.json) return ctx.io.stdout(renderJson(res));
      say(ctx, (await render()).expPullText(res, gitRemote));
    });
}
