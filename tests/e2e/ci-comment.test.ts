// `dvx ci comment` as GitHub Actions runs it: a separate process (node bin/dvx.js) with the job's environment,
// talking to the GitHub REST stand-in on loopback. Outside any dvx or git repository, as in a fresh job.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";
import { ACTIONS_TOKEN, HEAD_SHA, PAT, actionsEnv, runProcess, type ProcRun } from "../helpers/github-actions-env.js";
import { ACTIONS_BOT, startGitHubStandin, type Account, type GitHubStandin } from "../helpers/github-standin.js";
import { tmpDir } from "../helpers/tmp-repo.js";

const BIN = resolve(__dirname, "../../bin/dvx.js");
const ALICE: Account = { login: "alice", id: 1001, type: "User" };
const MALLORY: Account = { login: "mallory", id: 666, type: "User" };
const marker = (name: string): string => `<!-- dvx-report: ${name} -->`;

interface Ctx {
  gh: GitHubStandin;
  dir: string;
  env: Record<string, string>;
  report(text: string, file?: string): string;
  dvx(args: string[], env?: Record<string, string>, stdin?: string): Promise<ProcRun>;
}

const standins: GitHubStandin[] = [];
afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.close()));
});

async function setup(o: Parameters<typeof actionsEnv>[2] & { prefix?: string } = {}): Promise<Ctx> {
  const gh = await startGitHubStandin(o.prefix !== undefined ? { prefix: o.prefix } : {});
  standins.push(gh);
  gh.accounts.set(PAT, ALICE);
  gh.accounts.set(ACTIONS_TOKEN, ACTIONS_BOT);
  gh.accounts.set("ghp_mallory", MALLORY);
  const dir = tmpDir("dvx-ci-");
  const env = actionsEnv(dir, gh, o);
  return {
    gh,
    dir,
    env,
    report(text, file = "report.md") {
      writeFileSync(join(dir, file), text);
      return file;
    },
    dvx: (args, extra = {}, stdin) =>
      runProcess(process.execPath, [BIN, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...env, ...extra },
        ...(stdin !== undefined ? { stdin } : {}),
      }),
  };
}

const json = <T = Record<string, unknown>>(r: ProcRun): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const writes = (gh: GitHubStandin) => gh.requests.filter((r) => r.method === "POST" || r.method === "PATCH");

beforeAll(() => ensureBuilt(), 300_000);

describe("dvx ci comment (pull_request event)", () => {
  it("creates the comment on the first run and updates the same one on the second", async () => {
    const t = await setup();
    const first = json(await t.dvx(["ci", "comment", "--report", t.report("## Metrics\n\nacc 0.81\n"), "--json"]));
    expect(first).toMatchObject({ action: "created", name: "dvx", target: { kind: "pull_request", number: 7 } });
    const onPr = t.gh.commentsOn({ kind: "issue", number: 7 });
    expect(onPr).toHaveLength(1);
    expect(onPr[0]!.body).toBe(`${marker("dvx")}\n## Metrics\n\nacc 0.81\n`);
    expect(first.commentId).toBe(onPr[0]!.id);
    expect(first.url).toBe(`https://github.example/octo-org/demo/pull/7#issuecomment-${onPr[0]!.id}`);

    const second = json(await t.dvx(["ci", "comment", "--report", t.report("## Metrics\n\nacc 0.86\n"), "--json"]));
    expect(second).toMatchObject({ action: "updated", commentId: onPr[0]!.id });
    expect(t.gh.commentsOn({ kind: "issue", number: 7 })).toHaveLength(1);
    expect(t.gh.comments[0]!.body).toContain("acc 0.86");
    // the request contract: bearer token, GitHub's media type and API version, a user agent
    for (const r of t.gh.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${PAT}`);
      expect(r.headers.accept).toBe("application/vnd.github+json");
      expect(r.headers["x-github-api-version"]).toBe("2022-11-28");
      expect(String(r.headers["user-agent"])).toMatch(/^dvx\/\d/);
    }
    expect(writes(t.gh).map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/octo-org/demo/issues/7/comments",
      `PATCH /repos/octo-org/demo/issues/comments/${onPr[0]!.id}`,
    ]);
  });

  it("finds its comment on page 3 of 250 (every page, per_page=100, Link to /repositories/…) and updates it", async () => {
    const t = await setup({ prefix: "/api/v3" }); // GitHub Enterprise Server puts the API under /api/v3
    const pr = { kind: "issue" as const, number: 7 };
    let ours = 0;
    for (let i = 0; i < 250; i++) {
      if (i === 230) ours = t.gh.addComment(pr, `${marker("dvx")}\nold report`, ALICE).id;
      else t.gh.addComment(pr, i % 7 === 0 ? "LGTM (alice, no marker)" : `comment ${i}`, i % 7 === 0 ? ALICE : MALLORY);
    }
    const r = json(await t.dvx(["ci", "comment", "--report", t.report("new report\n"), "--json"]));
    expect(r).toMatchObject({ action: "updated", commentId: ours });
    expect(t.gh.comments).toHaveLength(250);
    expect(t.gh.comments.find((c) => c.id === ours)!.body).toBe(`${marker("dvx")}\nnew report\n`);
    const lists = t.gh.requests.filter((q) => q.method === "GET" && q.path.endsWith("/comments"));
    expect(lists.map((q) => q.path + q.query)).toEqual([
      "/api/v3/repos/octo-org/demo/issues/7/comments?per_page=100",
      `/api/v3/repositories/${t.gh.repositoryId}/issues/7/comments?per_page=100&page=2`,
      `/api/v3/repositories/${t.gh.repositoryId}/issues/7/comments?per_page=100&page=3`,
    ]);
  });

  it("leaves a comment with our marker by another account alone and creates its own", async () => {
    const t = await setup();
    const theirs = t.gh.addComment({ kind: "issue", number: 7 }, `${marker("dvx")}\nmallory's copy`, MALLORY);
    const r = json(await t.dvx(["ci", "comment", "--report", t.report("ours\n"), "--json"]));
    expect(r.action).toBe("created");
    expect(theirs.body).toBe(`${marker("dvx")}\nmallory's copy`);
    const all = t.gh.commentsOn({ kind: "issue", number: 7 });
    expect(all.map((c) => c.user.login)).toEqual(["mallory", "alice"]);
    // and the next run updates ours, still not theirs
    json(await t.dvx(["ci", "comment", "--report", t.report("ours v2\n"), "--json"]));
    expect(theirs.body).toBe(`${marker("dvx")}\nmallory's copy`);
    expect(all[1]!.body).toContain("ours v2");
  });

  it("keeps one comment per report name and updates each separately; the newest of duplicates is updated", async () => {
    const t = await setup();
    const pr = { kind: "issue" as const, number: 7 };
    const older = t.gh.addComment(pr, `${marker("eval")}\neval v0 (older duplicate)`, ALICE);
    json(await t.dvx(["ci", "comment", "--report", t.report("train v1\n"), "--name", "train", "--json"]));
    json(await t.dvx(["ci", "comment", "--report", t.report("eval v1\n"), "--name", "eval", "--json"]));
    expect(older.body).toBe(`${marker("eval")}\neval v1\n`); // the existing eval comment was updated
    const dup = t.gh.addComment(pr, `${marker("eval")}\neval v1 (newer duplicate)`, ALICE);
    // a report whose own marker names it (as `dvx ci report --name train` writes it): no --name needed
    json(await t.dvx(["ci", "comment", "--report", t.report(`${marker("train")}\ntrain v2\n`), "--json"]));
    json(await t.dvx(["ci", "comment", "--report", t.report("eval v2\n"), "--name", "eval", "--json"]));
    const bodies = t.gh.commentsOn(pr).map((c) => c.body);
    expect(bodies).toEqual([
      `${marker("eval")}\neval v1\n`,
      `${marker("train")}\ntrain v2\n`,
      `${marker("eval")}\neval v2\n`,
    ]);
    expect(dup.body).toBe(`${marker("eval")}\neval v2\n`);
  });

  it("with the Actions GITHUB_TOKEN (403 on /user) finds and updates the bot's own comment", async () => {
    const t = await setup({ token: ACTIONS_TOKEN });
    const pr = { kind: "issue" as const, number: 7 };
    const human = t.gh.addComment(pr, `${marker("dvx")}\na person pasted the marker`, ALICE);
    const bot = t.gh.addComment(pr, `${marker("dvx")}\nbot's old report`, ACTIONS_BOT);
    const r = json(await t.dvx(["ci", "comment", "--report", t.report("bot's new report\n"), "--json"]));
    expect(r).toMatchObject({ action: "updated", commentId: bot.id, author: "github-actions[bot]" });
    expect(bot.body).toContain("bot's new report");
    expect(human.body).toContain("a person pasted the marker");
    expect(t.gh.requests.find((q) => q.path === "/user")?.status).toBe(403);
  });

  it("on a fork PR (403 on create) writes the report to the job summary, warns why, exits 0", async () => {
    const t = await setup();
    t.gh.accounts.set(PAT, { ...ALICE, canWrite: false });
    const r = await t.dvx(["ci", "comment", "--report", t.report("## Metrics\nacc 0.9\n"), "--json"]);
    const res = json(r);
    expect(res).toMatchObject({ action: "skipped", summaryWritten: true, commentId: null });
    expect(t.gh.comments).toHaveLength(0);
    const summary = readFileSync(t.env.GITHUB_STEP_SUMMARY!, "utf8");
    expect(summary).toContain("## Metrics\nacc 0.9\n");
    expect(summary).toMatch(/^> \[!WARNING\]\n> dvx could not post this report: .*403/);
    expect(r.stderr).toMatch(/^::warning title=dvx ci comment::.*403.*job summary/m);
  });
});

describe("dvx ci comment: faults, limits and secrets", () => {
  it("retries a 502 on the list and a 502 on create that GitHub carried out, without a duplicate", async () => {
    const t = await setup();
    t.gh.faults.push({ method: "GET", path: /\/issues\/7\/comments$/, status: 502 });
    t.gh.faults.push({ method: "POST", path: /\/issues\/7\/comments$/, status: 502, after: true });
    const r = await t.dvx(["ci", "comment", "--report", t.report("report\n"), "--json"]);
    expect(json(r).action).toBe("updated"); // the create went through: found again and updated, not duplicated
    expect(t.gh.comments).toHaveLength(1);
    expect(t.gh.requests.filter((q) => q.status === 502)).toHaveLength(2);
    expect(r.stderr).toMatch(/answered 502 to GET .*retrying/);
  });

  it("honours Retry-After on a secondary rate limit (403) and x-ratelimit-reset on a 429", async () => {
    const t = await setup();
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    t.gh.faults.push({
      method: "POST",
      path: /\/comments$/,
      status: 403,
      headers: { "retry-after": "1" },
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
    });
    t.gh.faults.push({
      method: "GET",
      path: /^\/user$/,
      status: 429,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
    });
    const r = await t.dvx(["ci", "comment", "--report", t.report("report\n"), "--json"]);
    expect(json(r).action).toBe("created");
    expect(t.gh.comments).toHaveLength(1);
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(t.gh.requests.map((q) => q.status)).toEqual([429, 200, 200, 403, 201]);
  });

  it("gives up within the time budget when GitHub asks to wait longer (exit 7)", async () => {
    const t = await setup();
    t.gh.faults.push({ method: "GET", path: /comments$/, status: 429, headers: { "retry-after": "120" } });
    const r = await t.dvx(["ci", "comment", "--report", t.report("x\n"), "--json"], { DVX_GITHUB_RETRY_SECONDS: "2" });
    expect(r.code).toBe(7);
    expect(r.ms).toBeLessThan(10_000);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: "GITHUB_UNAVAILABLE", details: { reason: "rate-limit" } });
  });

  it("a bad token (401) is a clear error with exit 9, and the token appears in no output", async () => {
    const t = await setup({ token: "ghp_RevokedTokenThatMustNeverShow999" });
    t.gh.echoAuthInErrors = true; // a nasty server that repeats the credentials in its error body
    const token = t.env.GITHUB_TOKEN!;
    const human = await t.dvx(["ci", "comment", "--report", t.report("x\n")]);
    const verbose = await t.dvx(["ci", "comment", "-v", "--report", t.report("x\n")]);
    const asJson = await t.dvx(["ci", "comment", "--report", t.report("x\n"), "--json"]);
    for (const r of [human, verbose, asJson]) {
      expect(r.code).toBe(9);
      expect(r.stdout + r.stderr).not.toContain(token);
      expect(r.stdout + r.stderr).not.toContain(token.slice(4, 20));
    }
    expect(human.stderr).toMatch(/^error: .*GITHUB_TOKEN.*401/);
    expect(JSON.parse(asJson.stderr).error).toMatchObject({
      code: "AUTH_FAILED",
      details: { service: "GitHub", credential: "GITHUB_TOKEN", status: 401 },
    });
    expect(readFileSync(t.env.GITHUB_STEP_SUMMARY!, "utf8")).not.toContain(token);
    expect(t.gh.comments).toHaveLength(0);
  });

  it("the token never shows in other failures either (404 repository, with --token-env)", async () => {
    const t = await setup();
    const r = await t.dvx(["ci", "comment", "-v", "--token-env", "MY_TOKEN", "--report", t.report("x\n"), "--json"], {
      GITHUB_TOKEN: "",
      MY_TOKEN: PAT,
      GITHUB_REPOSITORY: "octo-org/missing",
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toBe("GITHUB_API_ERROR");
    expect(r.stdout + r.stderr).not.toContain(PAT);
    const none = await t.dvx(["ci", "comment", "--report", t.report("x\n")], { GITHUB_TOKEN: "" });
    expect(none.code).toBe(4); // no token: configuration
    const empty = await t.dvx(["ci", "comment"], {}, ""); // nothing piped in: no empty comment
    expect(empty.code).toBe(2);
    expect(t.gh.comments).toHaveLength(0);
  });

  it("cuts a 70,000-character report under 65,536 with a note, and puts the whole one in the job summary", async () => {
    const t = await setup();
    const rows = Array.from({ length: 2240 }, (_, i) => `| data/file-${String(i).padStart(5, "0")}.csv | +${i} |`);
    const report = `## Metrics\n\nacc 0.9\n\n## Data changes\n\n| path | rows |\n| --- | --- |\n${rows.join("\n")}\n\n## Plots\n\nsee\n`;
    expect(report.length).toBeGreaterThan(70_000);
    expect(report.length).toBeLessThan(71_000);
    const r = await t.dvx(["ci", "comment", "--report", t.report(report), "--json"]);
    const res = json<{ truncated: { omittedSections: string[]; partialSection: string } }>(r);
    const body = t.gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(`${marker("dvx")}\n## Metrics`)).toBe(true);
    expect(body).toMatch(/This report was cut .* characters \(\d+ lines\) were left out/);
    expect(body).toContain('the end of "Data changes" and the section "Plots"');
    expect(body).toContain("[the job summary](https://github.example/octo-org/demo/actions/runs/4242)");
    expect(res.truncated).toMatchObject({ omittedSections: ["Plots"], partialSection: "Data changes" });
    expect(readFileSync(t.env.GITHUB_STEP_SUMMARY!, "utf8")).toContain(rows.at(-1)!);
  });
});

describe("dvx ci comment: push events, dry run, stdin", () => {
  it("posts on the open pull request of the pushed commit", async () => {
    const t = await setup({ event: "push" });
    t.gh.pullsByCommit.set(HEAD_SHA, [
      { number: 3, state: "closed", head: { sha: HEAD_SHA } },
      { number: 9, state: "open", head: { sha: HEAD_SHA } },
    ]);
    const r = json(await t.dvx(["ci", "comment", "--report", t.report("x\n"), "--json"]));
    expect(r).toMatchObject({ action: "created", target: { kind: "pull_request", number: 9 } });
    expect(t.gh.commentsOn({ kind: "issue", number: 9 })).toHaveLength(1);
  });

  it("without a pull request, keeps one comment on the commit", async () => {
    const t = await setup({ event: "push" });
    const first = json(await t.dvx(["ci", "comment", "--report", t.report("v1\n"), "--json"]));
    expect(first).toMatchObject({ action: "created", target: { kind: "commit", sha: HEAD_SHA } });
    const second = json(await t.dvx(["ci", "comment", "--report", t.report("v2\n"), "--json"]));
    expect(second).toMatchObject({ action: "updated", commentId: first.commentId });
    expect(t.gh.commentsOn({ kind: "commit", sha: HEAD_SHA }).map((c) => c.body)).toEqual([`${marker("dvx")}\nv2\n`]);
    expect(writes(t.gh).map((q) => `${q.method} ${q.path}`)).toEqual([
      `POST /repos/octo-org/demo/commits/${HEAD_SHA}/comments`,
      `PATCH /repos/octo-org/demo/comments/${String(first.commentId)}`,
    ]);
  });

  it("--dry-run says what it would do and writes nothing", async () => {
    const t = await setup();
    const mine = t.gh.addComment({ kind: "issue", number: 7 }, `${marker("dvx")}\nold`, ALICE);
    const r = await t.dvx(["ci", "comment", "--dry-run", "--report", t.report("new\n")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`would update comment ${mine.id}`);
    expect(r.stdout).toContain("pull request #7 of octo-org/demo");
    const n = json(await t.dvx(["ci", "comment", "--dry-run", "--name", "other", "--report", "report.md", "--json"]));
    expect(n).toMatchObject({ dryRun: true, action: "would-create", commentId: null });
    expect(writes(t.gh)).toEqual([]);
    expect(mine.body).toBe(`${marker("dvx")}\nold`);
  });

  it("reads the report from stdin", async () => {
    const t = await setup();
    const r = json(await t.dvx(["ci", "comment", "--report", "-", "--json"], {}, "from stdin\n"));
    expect(r.action).toBe("created");
    expect(t.gh.comments[0]!.body).toBe(`${marker("dvx")}\nfrom stdin\n`);
  });
});
