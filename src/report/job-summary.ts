// The GitHub Actions job summary (GITHUB_STEP_SUMMARY): a Markdown file the runner owns and shows on the run's
// page. Steps append to it; GitHub keeps at most 1 MiB per step.
import { promises as fs } from "node:fs";
import { cutBody } from "./comment-body.js";

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Words that point at the job summary, linked to the run when the environment says which run this is. */
export function jobSummaryLink(env: Record<string, string | undefined>): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run
    ? `[the job summary](${server}/${repo}/actions/runs/${run})`
    : "the job summary of this run";
}

/** Appends the report (and a warning above it) to the job summary; true once written. */
export async function appendJobSummary(path: string, report: string, warning?: string): Promise<boolean> {
  let text = (warning ? `> [!WARNING]\n> ${warning.replace(/\n/g, " ")}\n\n` : "") + report;
  if (Buffer.byteLength(text) > SUMMARY_LIMIT_BYTES - 1024)
    // UTF-8 needs at most 3 bytes per UTF-16 code unit
    text = cutBody(
      text,
      Math.floor((SUMMARY_LIMIT_BYTES - 1024) / 3),
      (i) =>
        `\n> [!WARNING]\n> The report was cut to fit the job summary's 1 MiB: ${i.originalLength - i.keptLength} ` +
        `characters were left out; the whole report is the file the step read.\n`,
    ).body;
  await fs.appendFile(path, text.endsWith("\n") ? `${text}\n` : `${text}\n\n`);
  return true;
}
