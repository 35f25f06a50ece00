// The environment a GitHub Actions job gives a step (pull_request and push events), and a runner for processes
// started with it, for tests of `dvx ci comment` and the action against the GitHub stand-in.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GitHubStandin } from "./github-standin.js";

export const PAT = "ghp_PersonalTokenMustNeverShow0123456789";
export const ACTIONS_TOKEN = "ghs_ActionsTokenMustNeverShow0123456789";
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const MERGE_SHA = "2c4e0d1d5b6c8a9e7f3b1a0c9d8e7f6a5b4c3d2e";

const user = (login: string, id: number, type = "User") => ({ login, id, type, site_admin: false });

/** A pull_request event payload (the shape GitHub sends; fields dvx does not read are trimmed). */
export function pullRequestEvent(repository: string, repositoryId: number, number: number): unknown {
  const [owner, name] = repository.split("/") as [string, string];
  const repo = { id: repositoryId, name, full_name: repository, private: false, owner: user(owner, 1), fork: false };
  return {
    action: "synchronize",
    number,
    pull_request: {
      url: `https://api.github.example/repos/${repository}/pulls/${number}`,
      id: 279147437,
      html_url: `https://github.example/${repository}/pull/${number}`,
      number,
      state: "open",
      title: "Train with a larger learning rate",
      user: user("alice", 1001),
      head: { label: "alice:lr", ref: "lr", sha: HEAD_SHA, user: user("alice", 1001), repo },
      base: { label: `${owner}:main`, ref: "main", sha: BASE_SHA, user: user(owner, 1), repo },
      merge_commit_sha: MERGE_SHA,
    },
    before: BASE_SHA,
    after: HEAD_SHA,
    repository: { ...repo, default_branch: "main" },
    sender: user("alice", 1001),
  };
}

export function pushEvent(repository: string, repositoryId: number, after: string): unknown {
  const [owner, name] = repository.split("/") as [string, string];
  return {
    ref: "refs/heads/lr",
    before: BASE_SHA,
    after,
    created: false,
    deleted: false,
    forced: false,
    commits: [{ id: after, message: "train", distinct: true }],
    head_commit: { id: after, message: "train" },
    repository: { id: repositoryId, name, full_name: repository, owner: { name: owner, login: owner } },
    pusher: { name: "alice" },
    sender: user("alice", 1001),
  };
}

/** Writes the event file and returns the variables Actions sets for a step of a pull_request (or push) job. */
export function actionsEnv(
  dir: string,
  gh: GitHubStandin,
  o: { event?: "pull_request" | "push"; number?: number; sha?: string; token?: string } = {},
): Record<string, string> {
  const event = o.event ?? "pull_request";
  const eventPath = join(dir, "event.json");
  const summary = join(dir, "step_summary.md");
  writeFileSync(
    eventPath,
    JSON.stringify(
      event === "push"
        ? pushEvent(gh.repository, gh.repositoryId, o.sha ?? HEAD_SHA)
        : pullRequestEvent(gh.repository, gh.repositoryId, o.number ?? 7),
    ),
  );
  writeFileSync(summary, "");
  return {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: gh.repository,
    GITHUB_REPOSITORY_OWNER: gh.repository.split("/")[0]!,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_TOKEN: o.token ?? PAT,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_SHA: event === "push" ? (o.sha ?? HEAD_SHA) : MERGE_SHA,
    GITHUB_REF: event === "push" ? "refs/heads/lr" : `refs/pull/${o.number ?? 7}/merge`,
    GITHUB_BASE_REF: event === "push" ? "" : "main",
    GITHUB_HEAD_REF: event === "push" ? "" : "lr",
    GITHUB_RUN_ID: "4242",
    GITHUB_WORKSPACE: dir,
  };
}

export interface ProcRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command as a separate process (never blocking this one, which serves the stand-in). */
export function runProcess(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; stdin?: string },
): Promise<ProcRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started }));
    child.stdin.end(opts.stdin ?? "");
  });
}
