// Which pull request or commit a report goes to, from the Actions environment and event payload.
import { describe, expect, it } from "vitest";
import { eventFacts } from "../../../src/report/comment-target.js";
import { findOwnComment, ACTIONS_BOT_LOGIN, type Identity } from "../../../src/report/sticky-comment.js";
import { AppError } from "../../../src/errors.js";
import { pullRequestEvent, pushEvent, HEAD_SHA, MERGE_SHA } from "../../helpers/github-actions-env.js";

const ENV = { GITHUB_REPOSITORY: "octo-org/demo", GITHUB_SHA: MERGE_SHA };

describe("eventFacts", () => {
  it("takes the PR number of pull_request and pull_request_target events", () => {
    for (const name of ["pull_request", "pull_request_target"])
      expect(eventFacts({ ...ENV, GITHUB_EVENT_NAME: name }, pullRequestEvent("octo-org/demo", 1, 42))).toEqual({
        eventName: name,
        repository: "octo-org/demo",
        prNumber: 42,
        sha: MERGE_SHA,
      });
  });

  it("takes the pushed commit (payload.after) of push events, and GITHUB_SHA of others", () => {
    const push = eventFacts({ ...ENV, GITHUB_EVENT_NAME: "push" }, pushEvent("octo-org/demo", 1, HEAD_SHA));
    expect(push).toMatchObject({ prNumber: undefined, sha: HEAD_SHA });
    const manual = eventFacts({ ...ENV, GITHUB_EVENT_NAME: "workflow_dispatch" }, { inputs: {} });
    expect(manual).toMatchObject({ prNumber: undefined, sha: MERGE_SHA });
    const comment = eventFacts(
      { ...ENV, GITHUB_EVENT_NAME: "issue_comment" },
      { issue: { number: 5, pull_request: { url: "u" } } },
    );
    expect(comment.prNumber).toBe(5);
  });

  it("refuses a malformed repository or an event without a PR or commit (config error, exit 4)", () => {
    const codes = (f: () => unknown): number | undefined => {
      try {
        f();
      } catch (err) {
        return err instanceof AppError ? err.exitCode : -1;
      }
      return undefined;
    };
    expect(codes(() => eventFacts({ GITHUB_REPOSITORY: "../x", GITHUB_SHA: MERGE_SHA }, {}))).toBe(4);
    expect(codes(() => eventFacts({ GITHUB_REPOSITORY: "o/r", GITHUB_EVENT_NAME: "schedule" }, {}))).toBe(4);
    expect(codes(() => eventFacts({ ...ENV, GITHUB_EVENT_NAME: "pull_request" }, { pull_request: {} }))).toBe(4);
  });
});

describe("findOwnComment", () => {
  const c = (id: number, body: string, login: string, uid: number) => ({ id, body, user: { login, id: uid } });
  const M = "<!-- dvx-report: dvx -->\n";
  const comments = [
    c(1, `${M}a`, "alice", 1001),
    c(2, `${M}b`, "mallory", 666),
    c(3, `${M}c`, "alice", 1001),
    c(4, "no marker", "alice", 1001),
    c(5, `<!-- dvx-report: other -->\nd`, "alice", 1001),
    c(6, `${M}bot`, ACTIONS_BOT_LOGIN, 41898282),
  ];

  it("picks the newest comment with the marker by the same account (by id for users)", () => {
    const alice: Identity = { login: "alice", id: 1001, source: "user" };
    expect(findOwnComment(comments, "dvx", alice)?.id).toBe(3);
    expect(findOwnComment(comments, "other", alice)?.id).toBe(5);
    expect(findOwnComment(comments, "dvx", { login: "ALICE", id: 9, source: "user" })).toBeUndefined();
    expect(findOwnComment(comments, "dvx", { login: "bob", id: 7, source: "user" })).toBeUndefined();
  });

  it("matches the Actions bot by login", () => {
    const bot: Identity = { login: ACTIONS_BOT_LOGIN, id: undefined, source: "actions-bot" };
    expect(findOwnComment(comments, "dvx", bot)?.id).toBe(6);
  });
});
