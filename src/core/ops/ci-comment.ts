// dvx ci comment: posts a report as the one sticky comment of its name on the pull request of the current GitHub
// Actions run (or on the commit). Works outside a dvx repository: it needs only the environment and the report.
// A token that may not write (fork PRs) is not a failure: the report goes to the job summary with a warning.
import { promises as fs } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, PathNotFoundError, UsageError } from "../../errors.js";
import { errCode } from "../../fsx/atomic.js";
import {
  COMMENT_LIMIT,
  DEFAULT_REPORT_NAME,
  cutBody,
  cutNote,
  invalidReportName,
  markerName,
  withMarker,
  type CutInfo,
} from "../../report/comment-body.js";
import { eventFacts, resolveTarget, type CommentTarget } from "../../report/comment-target.js";
import { GitHubClient } from "../../report/github.js";
import { GitHubApiError } from "../../report/github-errors.js";
import { upsertStickyComment, type StickyResult } from "../../report/sticky-comment.js";
import { appendJobSummary, jobSummaryLink } from "../../report/job-summary.js";

export interface CiCommentOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  /** The report: a file (relative to cwd) or its text (read from stdin by the caller). */
  report: { path: string } | { text: string };
  name?: string;
  /** The variable holding the token (default GITHUB_TOKEN). */
  tokenEnv?: string;
  dryRun: boolean;
  userAgent: string;
  onRetry?: (info: { method: string; path: string; status: number | undefined; waitMs: number }) => void;
}

export interface CiCommentResult {
  dryRun: boolean;
  name: string;
  target: CommentTarget;
  /** "skipped": the token may not write here (HTTP 403); the report went to the job summary instead. */
  action: StickyResult["action"] | "skipped";
  commentId: number | null;
  url: string | null;
  author: string | null;
  bodyLength: number;
  truncated: (Omit<CutInfo, "partialSection"> & { partialSection: string | null }) | null;
  summaryWritten: boolean;
  warnings: string[];
}

export async function ciCommentOp(opts: CiCommentOptions): Promise<CiCommentResult> {
  const { env } = opts;
  const report = "text" in opts.report ? opts.report.text : await readReport(resolve(opts.cwd, opts.report.path));
  if (report.replace(/^<!-- dvx-report: .*? -->/, "").trim() === "")
    throw new UsageError("the report is empty", { hint: 'build it first, e.g. "dvx ci report -o report.md"' });
  const name = opts.name ?? markerName(report) ?? DEFAULT_REPORT_NAME;
  const bad = invalidReportName(name);
  if (bad) throw new UsageError(`invalid report name '${name}': ${bad}`);
  const tokenEnv = opts.tokenEnv ?? "GITHUB_TOKEN";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new UsageError(`'${tokenEnv}' is not a variable name`);
  const token = env[tokenEnv];
  if (!token)
    throw new ConfigError(`no GitHub token: '${tokenEnv}' is not set`, {
      hint: "in a workflow, add `env: GITHUB_TOKEN: ${{ github.token }}` to the step (or use --token-env VAR)",
      details: { tokenEnv },
    });
  const facts = eventFacts(env, await readEvent(env.GITHUB_EVENT_PATH));
  const client = new GitHubClient({
    token,
    tokenEnv,
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    userAgent: opts.userAgent,
    retryBudgetMs: retryBudgetMs(env.DVX_GITHUB_RETRY_SECONDS),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  });
  const summaryPath = env.GITHUB_STEP_SUMMARY || undefined;
  const full = withMarker(report, name);
  const cut = cutBody(full, COMMENT_LIMIT, (info) => cutNote(info, summaryPath ? jobSummaryLink(env) : undefined));
  const target = await resolveTarget(client, facts);
  const warnings: string[] = [];
  const result = (r: Partial<CiCommentResult>): CiCommentResult => ({
    dryRun: opts.dryRun,
    name,
    target,
    action: "skipped",
    commentId: null,
    url: null,
    author: null,
    bodyLength: cut.body.length,
    truncated: cut.cut ? { ...cut.cut, partialSection: cut.cut.partialSection ?? null } : null,
    summaryWritten: false,
    warnings,
    ...r,
  });
  if (cut.cut)
    warnings.push(
      `the report has ${full.length} characters, over GitHub's limit of ${COMMENT_LIMIT}: the comment was cut` +
        (summaryPath ? " (the full report is in the job summary)" : ""),
    );
  let sticky: StickyResult;
  try {
    sticky = await upsertStickyComment(client, target, name, cut.body, { dryRun: opts.dryRun });
  } catch (err) {
    if (!(err instanceof GitHubApiError && err.status === 403) || opts.dryRun) throw err;
    const where = target.kind === "pull_request" ? `pull request #${target.number}` : `commit ${target.sha}`;
    const why =
      `the token in '${tokenEnv}' may not comment on ${where} of ${target.repository} ` +
      `(${err.message.replace(/^GitHub refused /, "")}); pull requests from forks get a read-only token`;
    const written = summaryPath
      ? await appendJobSummary(summaryPath, full, `dvx could not post this report: ${why}`)
      : false;
    const instead = written
      ? "the report is in the job summary instead"
      : "GITHUB_STEP_SUMMARY is not set, so the report was not published";
    warnings.push(`${why}: ${instead}`);
    return result({ summaryWritten: written });
  }
  const summaryWritten =
    cut.cut !== undefined && summaryPath !== undefined && !opts.dryRun
      ? await appendJobSummary(summaryPath, full)
      : false;
  return result({
    action: sticky.action,
    commentId: sticky.commentId ?? null,
    url: sticky.url ?? null,
    author: sticky.author,
    summaryWritten,
  });
}

async function readReport(path: string): Promise<string> {
  try {
    return await fs.readFile(path, "utf8");
  } catch (err) {
    if (errCode(err) === "ENOENT")
      throw new PathNotFoundError(path, 'build it first, e.g. "dvx ci report -o report.md"');
    throw err;
  }
}

async function readEvent(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await fs.readFile(path, "utf8")) as unknown;
  } catch (err) {
    throw new ConfigError(`cannot read the event payload GITHUB_EVENT_PATH '${path}'`, {
      hint: "run the command in a GitHub Actions job, or unset GITHUB_EVENT_PATH and set GITHUB_SHA",
      details: { path },
      cause: err,
    });
  }
}

/** DVX_GITHUB_RETRY_SECONDS (default 60): how long retries of GitHub calls may take in total. */
function retryBudgetMs(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n * 1000 : 60_000;
}
