// Data commands: init, add, status, commit, checkout, diff, remove, gc.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { openRepoFor, parseJobs, printGitFollowups, printWarnings } from "./common.js";

export function registerDataCommands(program: Command, ctx: CliContext): void {
  const out = (s: string): void => ctx.io.stdout(s);
  const err = (s: string): void => {
    if (!ctx.flags.quiet) ctx.io.stderr(s);
  };

  program
    .command("init")
    .description("create .dvc/ and .dvcignore in the current git repository")
    .option("--no-scm", "work without git (no .gitignore edits, no git hints)")
    .option("-f, --force", "recreate .dvc/ if it exists (deletes its cache)")
    .addHelpText("after", "\nExamples:\n  git init && dvx init\n  dvx init --no-scm")
    .action(async (o: { scm: boolean; force?: boolean }) => {
      const { initOp } = await import("../core/ops/init.js");
      await initOp({ root: ctx.flags.cwd, noScm: !o.scm, force: o.force === true });
      err(
        "Initialized DVC repository.\n" +
          (o.scm ? '\nYou can now commit the changes to git:\n\n\tgit commit -m "Initialize DVC"\n' : ""),
      );
    });

  program
    .command("add")
    .description("track files or directories: hash them into the cache and write <target>.dvc")
    .argument("<targets...>", "files or directories to track")
    .option("--glob", "expand wildcards (*, ?, [..], **) in targets")
    .option("-o, --out <path>", "copy the (possibly outside) target to <path> in the repo and track that")
    .option("--no-commit", "write the .dvc file but do not store the data in the cache")
    .option("--desc <text>", "a description stored in the .dvc file")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  dvx add data/raw.csv\n  dvx add images/ models/model.pkl\n  dvx add --glob 'data/*.csv'",
    )
    .action(
      async (
        targets: string[],
        o: { glob?: boolean; out?: string; commit: boolean; desc?: string; json?: boolean },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { addOp } = await import("../core/ops/add.js");
        const res = await addOp(repo, {
          cwd: ctx.flags.cwd,
          targets,
          glob: o.glob === true,
          noCommit: !o.commit,
          ...(o.out !== undefined ? { out: o.out } : {}),
          ...(o.desc !== undefined ? { desc: o.desc } : {}),
        });
        if (o.json) return out(renderJson(res));
        for (const a of res.added)
          err(
            a.changed
              ? `added ${a.path} (${a.nfiles !== undefined ? `${a.nfiles} files, ` : ""}${a.size} bytes)\n`
              : `${a.path} is unchanged\n`,
          );
        printGitFollowups(ctx, res);
      },
    );

  program
    .command("status")
    .description("show changes between the workspace, the .dvc files and the cache (-c: and a remote)")
    .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
    .option("-c, --cloud", "compare the cache with a remote instead")
    .option("-r, --remote <name>", "remote for --cloud (default: core.remote)")
    .option("-j, --jobs <n>", "parallel remote requests for --cloud", parseJobs)
    .option("-a, --all-branches", "with --cloud: objects of every branch")
    .option("-T, --all-tags", "with --cloud: objects of every tag")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  dvx status\n  dvx status data.csv.dvc --json\n  dvx status -c -r storage\n" +
        "  dvx status -q || dvx commit     # -q: no output; exit code 1 when something changed",
    )
    .action(
      async (
        targets: string[],
        o: {
          cloud?: boolean;
          remote?: string;
          jobs?: number;
          allBranches?: boolean;
          allTags?: boolean;
          json?: boolean;
        },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        if (o.cloud || o.remote) {
          const { cloudStatusCommand } = await import("./transfer-run.js");
          return cloudStatusCommand(ctx, repo, targets, o);
        }
        const { statusOp } = await import("../core/ops/status.js");
        const res = await statusOp(repo, { cwd: ctx.flags.cwd, targets });
        printWarnings(ctx, res.warnings);
        if (o.json) return out(renderJson(res.changes));
        // as DVC: with -q nothing is printed and the exit code tells (1 = something changed)
        if (ctx.flags.quiet) return void (ctx.exitCode = Object.keys(res.changes).length === 0 ? 0 : 1);
        if (Object.keys(res.changes).length === 0) return out("Data and pipelines are up to date.\n");
        const { statusText } = await import("../cli/render/status-text.js");
        out(statusText(res.changes));
      },
    );

  program
    .command("commit")
    .description("store the current version of tracked data in the cache and record it (.dvc files, dvc.lock)")
    .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
    .option("-f, --force", "commit changed stages without asking")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExamples:\n  dvx add --no-commit big.bin && dvx commit big.bin.dvc\n  dvx commit")
    .action(async (targets: string[], o: { force?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { commitOp } = await import("../core/ops/commit.js");
      const res = await commitOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        force: o.force === true,
        ...(ctx.io.confirm ? { confirm: ctx.io.confirm } : {}),
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return out(renderJson(res));
      for (const c of res.committed) err(`committed ${c.path}\n`);
      for (const s of res.stages) err(`committed stage ${s}\n`);
      if (res.committed.length + res.stages.length === 0) err("nothing to commit\n");
      printGitFollowups(ctx, res);
    });

  program
    .command("checkout")
    .description("restore tracked data in the workspace from the cache")
    .argument("[targets...]", ".dvc files, stages or tracked paths (default: all)")
    .option("-f, --force", "overwrite changes that are not in the cache")
    .option("--relink", "re-create every link/copy even when the content matches")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExamples:\n  git checkout v1 && dvx checkout\n  dvx checkout images.dvc --relink")
    .action(async (targets: string[], o: { force?: boolean; relink?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { checkoutOp } = await import("../core/ops/checkout.js");
      const res = await checkoutOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        force: o.force === true,
        relink: o.relink === true,
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return out(renderJson(res));
      for (const p of res.changed) err(`M       ${p}\n`);
    });

  program
    .command("diff")
    .description("show data changes between git revisions (default: HEAD vs the workspace)")
    .argument("[a_rev]", "old revision (default HEAD)")
    .argument("[b_rev]", "new revision (default: the workspace)")
    .option("--targets <paths...>", "limit to these tracked paths")
    .option("--json", "print the result as JSON")
    .option("--md", "print a markdown table")
    .option("--show-hash", "show the (abbreviated) hashes")
    .option("--hide-missing", "do not list objects missing from the cache")
    .addHelpText("after", "\nExamples:\n  dvx diff\n  dvx diff HEAD~2 --md\n  dvx diff v1 v2 --json")
    .action(
      async (
        aRev: string | undefined,
        bRev: string | undefined,
        o: { targets?: string[]; json?: boolean; md?: boolean; showHash?: boolean; hideMissing?: boolean },
      ) => {
        const repo = await openRepoFor(ctx, o.json === true);
        const { diffOp } = await import("../core/ops/diff.js");
        const { diffJson, diffMarkdown, diffText } = await import("../cli/render/diff-text.js");
        const res = await diffOp(repo, {
          cwd: ctx.flags.cwd,
          targets: o.targets ?? [],
          hideMissing: o.hideMissing === true,
          ...(aRev ? { aRev } : {}),
          ...(bRev ? { bRev } : {}),
        });
        printWarnings(ctx, res.warnings);
        if (o.json) return out(renderJson(res.empty ? {} : diffJson(res.result, o.showHash === true)));
        if (o.md) return out(diffMarkdown(res.result, o.showHash === true));
        out(diffText(res.result, o.showHash === true));
      },
    );

  program
    .command("remove")
    .description("stop tracking the outputs of .dvc files (keeps the data unless --outs)")
    .argument("<targets...>", ".dvc files")
    .option("--outs", "also delete the tracked data from the workspace")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExamples:\n  dvx remove data.csv.dvc\n  dvx remove images.dvc --outs")
    .action(async (targets: string[], o: { outs?: boolean; json?: boolean }) => {
      const repo = await openRepoFor(ctx, o.json === true);
      const { removeOp } = await import("../core/ops/remove.js");
      const res = await removeOp(repo, {
        cwd: ctx.flags.cwd,
        targets,
        outs: o.outs === true,
      });
      if (o.json) return out(renderJson(res));
      for (const r of res.removed)
        err(`removed ${r.pointerFile}${r.deletedData ? ` and ${r.outputs.join(", ")}` : ""}\n`);
      printGitFollowups(ctx, res);
    });

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
    .addHelpText("after", "\nExamples:\n  dvx gc -w --dry\n  dvx gc -w -a -T -f\n  dvx gc -w -c -r storage -f")
    .action(
      async (o: {
        workspace?: boolean;
        allBranches?: boolean;
        allTags?: boolean;
        cloud?: boolean;
        remote?: string;
        jobs?: number;
        dry?: boolean;
        force?: boolean;
        json?: boolean;
      }) => {
        const { runGc } = await import("./gc-run.js");
        await runGc(ctx, o);
      },
    );
}
