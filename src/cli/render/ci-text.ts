// Human text of `dvx ci comment` / `dvx ci init`, and GitHub Actions' warning annotation format.
import type { CiCommentResult } from "../../core/ops/ci-comment.js";
import type { CiInitResult } from "../../core/ops/ci-init.js";

const where = (r: CiCommentResult): string =>
  r.target.kind === "pull_request"
    ? `pull request #${r.target.number} of ${r.target.repository}`
    : `commit ${r.target.sha.slice(0, 12)} of ${r.target.repository}`;

export function ciCommentText(r: CiCommentResult): string {
  const report = `the '${r.name}' report`;
  const link = r.url ? `: ${r.url}` : "";
  switch (r.action) {
    case "created":
      return `created ${report} comment on ${where(r)}${link}\n`;
    case "updated":
      return `updated ${report} comment ${r.commentId} on ${where(r)}${link}\n`;
    case "would-create":
      return `dry run: would create ${report} comment on ${where(r)} as ${r.author} (${r.bodyLength} characters)\n`;
    case "would-update":
      return `dry run: would update comment ${r.commentId} (${report}) on ${where(r)} as ${r.author}${link}\n`;
    case "skipped":
      return `not posted on ${where(r)}${r.summaryWritten ? "; the report is in the job summary" : ""}\n`;
  }
}

/** A GitHub request that will be retried. */
export const retryLine = (r: { method: string; path: string; status: number | undefined; waitMs: number }): string =>
  `GitHub ${r.status === undefined ? "did not answer" : `answered ${r.status}`} ` +
  `to ${r.method} ${r.path}; retrying in ${(r.waitMs / 1000).toFixed(1)} s\n`;

export const ciInitText = (r: CiInitResult): string =>
  `${r.overwritten ? "rewrote" : "wrote"} ${r.path} (uses ${r.action})\n`;

/**
 * A warning line for stderr: a GitHub Actions annotation (`::warning title=…::…`, shown on the run's page) when
 * running in Actions, else "warning: …".
 */
export function warningLine(text: string, title: string, actions: boolean): string {
  if (!actions) return `warning: ${text}\n`;
  const esc = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  return `::warning title=${esc(title).replace(/:/g, "%3A").replace(/,/g, "%2C")}::${esc(text)}\n`;
}
