// dvx ci comment | init — reports in GitHub pull requests. `ci comment` needs no dvx repository, only the
// environment GitHub Actions sets and the report; `ci init` writes the workflow that runs it.
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { renderJson } from "../cli/render/json.js";
import { UsageError } from "../errors.js";
import { examples, openRepoFor, printGitFollowups, printWarnings, say } from "./common.js";
import { collect, directionsOf } from "./metrics.js";

interface ReportFlags {
  base?: string;
  head?: string;
  targets?: string[];
  name?: string;
  output?: string;
  json?: boolean;
  direction?: string[];
  textLimit?: string;
}

export function registerCi(program: Command, ctx: CliContext): void {
  const ci = program
    .command("ci")
    .description("continuous integration: post reports on GitHub pull requests, write the workflow")
    .addHelpText(
      "after",
      examples(
        "dvx ci report -o report.md",
        "dvx ci init",
        "dvx ci comment --report report.md",
        "dvx ci comment --report report.md --dry-run",
      ),
    );
  ci.command("report")
    .description(
      "write the Markdown report of a change: metrics, params, data (rows of changed text files), plots and the " +
        "stages the newest repro ran",
    )
    .option("--base <rev>", "revision to compare with (default: see below)")
    .option("--head <rev>", "revision to report on (default: the workspace, e.g. after dvx repro)")
    .option("--targets <paths...>", "limit every section to these files and outputs (and what lies under them)")
    .option("--name <name>", "report name, kept in the hidden marker line (default 'dvx')")
    .option("-o, --output <file>", "write the report to this file (default: print it)")
    .option(
      "--direction <name=higher|lower>",
      "which way is better for a metric (NAME or PATH:NAME; repeatable); saved ones: dvx config metrics.direction.NAME",
      collect,
    )
    .option(
      "--text-limit <size>",
      "largest text file compared row by row, e.g. 20MB (default: ci.text_limit, else 5MB)",
    )
    .option("--json", "print the report's data and Markdown as JSON")
    .addHelpText(
      "after",
      "\nThe default base: in a GitHub Actions pull request, the merge base of its base commit and the head\n" +
        "(what the pull request changes); on a push, the commit before the push; elsewhere the head's parent.\n" +
        "Objects the comparison needs and the cache lacks are fetched from the default remote.\n" +
        examples(
          "dvx ci report",
          "dvx ci report --base main -o report.md",
          "dvx ci report --base HEAD~3 --head HEAD --targets data/train.csv metrics.json",
          "dvx ci report --name eval | dvx ci comment --name eval",
        ),
    )
    .action(async (o: ReportFlags) => {
      const directions = o.direction ? await directionsOf(o.direction) : undefined;
      let textLimit: number | undefined;
      if (o.textLimit !== undefined) {
        const { parseByteSize } = await import("../config/schema.js");
        textLimit = parseByteSize(o.textLimit);
        if (textLimit === undefined)
          throw new UsageError(`--text-limit wants a size like 5MB or 500000, not '${o.textLimit}'`);
      }
      const repo = await openRepoFor(ctx, o.json === true);
      const { ciReportOp } = await import("../core/ops/ci-report.js");
      const res = await ciReportOp(repo, {
        cwd: ctx.flags.cwd,
        targets: o.targets ?? [],
        ...(o.base !== undefined ? { base: o.base } : {}),
        ...(o.head !== undefined ? { head: o.head } : {}),
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.output !== undefined ? { output: o.output } : {}),
        ...(directions ? { directions } : {}),
        ...(textLimit !== undefined ? { textLimit } : {}),
      });
      printWarnings(ctx, res.warnings);
      const render = await import("../cli/render/ci-report.js");
      if (o.json) return ctx.io.stdout(renderJson(render.ciReportJson(res)));
      if (res.output === null) return ctx.io.stdout(res.markdown);
      say(ctx, render.ciReportText(res));
    });

  ci.command("comment")
    .description(
      "post a report as the one comment of its name on the pull request of this GitHub Actions run " +
        "(updated in place on later runs; on a commit when no pull request has it)",
    )
    .option("--report <file>", "the report (Markdown); '-' reads stdin (default: stdin when piped)")
    .option("--name <name>", "report name, kept in a hidden marker line (default: the report's marker, else 'dvx')")
    .option("--token-env <var>", "environment variable holding the GitHub token", "GITHUB_TOKEN")
    .option("--dry-run", "show which pull request and comment would be written, without writing")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nEnvironment (set by GitHub Actions): GITHUB_TOKEN (or --token-env), GITHUB_REPOSITORY, GITHUB_EVENT_PATH,\n" +
        "GITHUB_EVENT_NAME, GITHUB_SHA, GITHUB_API_URL (GitHub Enterprise), GITHUB_STEP_SUMMARY.\n" +
        "DVX_GITHUB_RETRY_SECONDS (default 60) bounds the time spent retrying.\n" +
        examples("dvx ci comment --report report.md", "dvx ci report | dvx ci comment --name train"),
    )
    .action(async (o: { report?: string; name?: string; tokenEnv: string; dryRun?: boolean; json?: boolean }) => {
      const { ciCommentOp } = await import("../core/ops/ci-comment.js");
      const { ciCommentText, retryLine, warningLine } = await import("../cli/render/ci-text.js");
      const { dvxVersion } = await import("../version.js");
      const fromStdin = o.report === "-" || o.report === undefined;
      if (fromStdin && !ctx.io.readStdin)
        throw new UsageError("no report: stdin is a terminal", { hint: 'give the report file with "--report FILE"' });
      const res = await ciCommentOp({
        env: ctx.io.env,
        cwd: ctx.flags.cwd,
        report: fromStdin ? { text: await ctx.io.readStdin!() } : { path: o.report! },
        tokenEnv: o.tokenEnv,
        dryRun: o.dryRun === true,
        userAgent: `dvx/${dvxVersion()}`,
        ...(o.name !== undefined ? { name: o.name } : {}),
        onRetry: (r) => say(ctx, retryLine(r)),
      });
      const actions = ctx.io.env.GITHUB_ACTIONS === "true";
      for (const w of res.warnings) say(ctx, warningLine(w, "dvx ci comment", actions));
      if (o.json) return ctx.io.stdout(renderJson(res));
      ctx.io.stdout(ciCommentText(res));
    });

  ci.command("init")
    .description("write .github/workflows/dvx-report.yml: on each pull request, pull, repro and post the report")
    .option("-f, --force", "overwrite an existing workflow file")
    .option("--action <ref>", "the dvx action to use, owner/repo@ref (default: this dvx's repository and version)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", examples("dvx ci init", "dvx ci init --action my-org/dvx@v1 -f"))
    .action(async (o: { force?: boolean; action?: string; json?: boolean }) => {
      const { ciInitOp } = await import("../core/ops/ci-init.js");
      const res = await ciInitOp({
        cwd: ctx.flags.cwd,
        force: o.force === true,
        ...(o.action !== undefined ? { action: o.action } : {}),
      });
      printWarnings(ctx, res.warnings);
      if (o.json) return ctx.io.stdout(renderJson(res));
      const { ciInitText } = await import("../cli/render/ci-text.js");
      say(ctx, ciInitText(res));
      printGitFollowups(ctx, { gitAdd: res.gitAdd, staged: false });
    });
}
