// Where a report comment goes, from the GitHub Actions event: the pull request of a pull_request(-like) event; for
// push and other events, an open pull request whose branch contains the commit, else the commit itself.
import { ConfigError } from "../errors.js";
import type { GitHubClient } from "./github.js";

export type CommentTarget =
  { kind: "pull_request"; repository: string; number: number } | { kind: "commit"; repository: string; sha: string };

/** What the event says: the repository and either a PR number or a commit to look PRs up for. */
export interface EventFacts {
  eventName: string;
  repository: string;
  prNumber: number | undefined;
  sha: string | undefined;
}

const PR_EVENTS = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
]);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" ? (v as Obj) : undefined);

/** Reads the facts from the Actions environment and the parsed event payload (GITHUB_EVENT_PATH). */
export function eventFacts(env: Record<string, string | undefined>, payload: unknown): EventFacts {
  const p = obj(payload) ?? {};
  const eventName = env.GITHUB_EVENT_NAME || (p.pull_request ? "pull_request" : "push");
  const repository = env.GITHUB_REPOSITORY || String(obj(p.repository)?.full_name ?? "");
  if (!/^\w[\w-]*\/(?!\.\.?$)[\w.-]+$/.test(repository))
    throw new ConfigError(`GITHUB_REPOSITORY '${repository}' is not of the form owner/name`, {
      hint: "run the command in a GitHub Actions job, or set GITHUB_REPOSITORY=owner/name",
      details: { repository },
    });
  let prNumber: number | undefined;
  if (PR_EVENTS.has(eventName)) prNumber = Number(obj(p.pull_request)?.number ?? p.number);
  else if (eventName === "issue_comment" && obj(obj(p.issue)?.pull_request)) prNumber = Number(obj(p.issue)?.number);
  if (prNumber !== undefined && !(Number.isInteger(prNumber) && prNumber > 0))
    throw new ConfigError(`the ${eventName} event in GITHUB_EVENT_PATH has no pull request number`, {
      details: { eventName },
    });
  const after = eventName === "push" ? p.after : undefined;
  const sha = typeof after === "string" && !/^0+$/.test(after) ? after : env.GITHUB_SHA;
  if (prNumber === undefined && !(sha && /^[0-9a-f]{7,64}$/i.test(sha)))
    throw new ConfigError(`the ${eventName} event names no pull request and no commit (GITHUB_SHA)`, {
      hint: "run the command from a pull_request or push workflow",
      details: { eventName },
    });
  return { eventName, repository, prNumber, sha: sha || undefined };
}

export const repoPath = (repository: string): string =>
  repository
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");

interface ApiPull {
  number: number;
  state: string;
  head?: { sha?: string };
}

/** The target of the comment; for a commit, the open PR whose head it is (or any open PR containing it). */
export async function resolveTarget(client: GitHubClient, facts: EventFacts): Promise<CommentTarget> {
  const { repository } = facts;
  if (facts.prNumber !== undefined) return { kind: "pull_request", repository, number: facts.prNumber };
  const sha = facts.sha!;
  const pulls = await client.paginate<ApiPull>(`/repos/${repoPath(repository)}/commits/${sha}/pulls`);
  const open = pulls.filter((p) => p.state === "open");
  const pick = open.find((p) => p.head?.sha === sha) ?? open.sort((a, b) => a.number - b.number)[0];
  return pick ? { kind: "pull_request", repository, number: pick.number } : { kind: "commit", repository, sha };
}
