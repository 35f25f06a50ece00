// The GitHub client in-process against the loopback stand-in: pagination, no links to other hosts, the time
// budget on an unreachable server, and redaction of the token from what servers say.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubClient } from "../../../src/report/github.js";
import { AppError } from "../../../src/errors.js";
import { startGitHubStandin, type GitHubStandin } from "../../helpers/github-standin.js";

const TOKEN = "ghp_unit/Token+With=Specials";
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function standin(): Promise<GitHubStandin> {
  const gh = await startGitHubStandin();
  gh.accounts.set(TOKEN, { login: "alice", id: 1001, type: "User" });
  open.push(gh);
  return gh;
}

const client = (apiUrl: string, o: Partial<ConstructorParameters<typeof GitHubClient>[0]> = {}) =>
  new GitHubClient({
    token: TOKEN,
    tokenEnv: "GITHUB_TOKEN",
    apiUrl,
    userAgent: "dvx-test",
    sleep: async () => {},
    ...o,
  });

const caught = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a failure");
};

describe("GitHubClient", () => {
  it("reads every page of a list", async () => {
    const gh = await standin();
    for (let i = 0; i < 205; i++)
      gh.addComment({ kind: "issue", number: 1 }, `c${i}`, { login: "x", id: 2, type: "User" });
    const all = await client(gh.apiUrl).paginate<{ body: string }>("/repos/octo-org/demo/issues/1/comments");
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 205 }, (_, i) => `c${i}`));
    expect(gh.requests).toHaveLength(3);
  });

  it("never follows a Link to another host (the token would go with it)", async () => {
    const evil = createServer((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        link: '<http://198.51.100.1/steal?page=2>; rel="next"',
      });
      res.end("[]");
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", () => r()));
    open.push({ close: () => new Promise((r) => evil.close(() => r())) });
    const url = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    const err = await caught(client(url).paginate("/repos/o/r/issues/1/comments"));
    expect(err.code).toBe("GITHUB_API_ERROR");
    expect(err.message).toContain("another host");
  });

  it("gives up on an unreachable server within the budget, with the reason", async () => {
    const gh = await standin();
    await gh.close();
    open.pop();
    let waits = 0;
    const c = client(gh.apiUrl, { retryBudgetMs: 5000, onRetry: () => void waits++ });
    const err = await caught(c.request("GET", "/user"));
    expect(err).toMatchObject({ code: "GITHUB_UNAVAILABLE", exitCode: 7, details: { reason: "network" } });
    expect(waits).toBeGreaterThan(0); // retried with backoff before giving up
    // POST is not retried blindly after a network error: the caller looks before trying again
    const post = await caught(
      client(gh.apiUrl).request("POST", "/repos/o/r/issues/1/comments", { body: { body: "x" } }),
    );
    expect(post.details).toMatchObject({ reason: "network", attempts: 1 });
  });

  it("redacts the token, also URL-encoded, from server messages", async () => {
    const gh = await standin();
    gh.faults.push({
      path: /\/user$/,
      status: 422,
      body: { message: `bad token ${TOKEN} / ${encodeURIComponent(TOKEN)}` },
    });
    const err = await caught(client(gh.apiUrl).request("GET", "/user"));
    expect(JSON.stringify(err.toJSON()) + err.message).not.toContain("ghp_unit");
    expect(err.message).toContain("bad token *** / ***");
  });

  it("refuses an API URL that is not http(s) (config error)", () => {
    expect(() => client("ftp://example.com")).toThrow(expect.objectContaining({ code: "CONFIG", exitCode: 4 }));
  });
});
