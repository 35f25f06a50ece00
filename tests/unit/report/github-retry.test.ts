// When and how long the GitHub client waits before retrying (GitHub's documented rate-limit rules).
import { describe, expect, it } from "vitest";
import { backoffMs, retryAfterMs, retryDelayMs } from "../../../src/report/github-retry.js";
import { nextLink } from "../../../src/report/github.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const h = (o: Record<string, string>): Headers => new Headers(o);

describe("retryDelayMs", () => {
  it("retries 5xx with backoff, or after Retry-After when the server sends one", () => {
    expect(retryDelayMs(502, h({}), "", 1, NOW)?.reason).toBe("server");
    expect(retryDelayMs(503, h({}), "", 3, NOW)!.waitMs).toBeGreaterThanOrEqual(3000);
    expect(retryDelayMs(500, h({ "retry-after": "7" }), "", 1, NOW)).toEqual({ waitMs: 7000, reason: "server" });
    expect(retryDelayMs(501, h({}), "", 1, NOW)).toBeUndefined();
  });

  it("treats 403/429 with Retry-After or an exhausted x-ratelimit-remaining as a rate limit", () => {
    expect(retryDelayMs(403, h({ "retry-after": "2" }), "", 1, NOW)).toEqual({ waitMs: 2000, reason: "rate-limit" });
    expect(retryDelayMs(429, h({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), "", 1, NOW)!.waitMs).toBe(5000);
    const reset = String(NOW / 1000 + 30);
    expect(retryDelayMs(403, h({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), "", 1, NOW)).toEqual({
      waitMs: 31_000,
      reason: "rate-limit",
    });
    // a secondary limit without headers: at least a minute
    const msg = '{"message":"You have exceeded a secondary rate limit"}';
    expect(retryDelayMs(403, h({}), msg, 1, NOW)!.waitMs).toBeGreaterThanOrEqual(60_000);
    expect(retryDelayMs(429, h({}), "", 1, NOW)!.waitMs).toBeGreaterThanOrEqual(60_000);
  });

  it("does not retry a plain 403 (permission) or other 4xx", () => {
    const body = '{"message":"Resource not accessible by integration"}';
    expect(retryDelayMs(403, h({ "x-ratelimit-remaining": "4999" }), body, 1, NOW)).toBeUndefined();
    for (const s of [400, 401, 404, 422]) expect(retryDelayMs(s, h({}), "", 1, NOW)).toBeUndefined();
  });

  it("backoff doubles up to 16 s with jitter; Retry-After accepts seconds and dates", () => {
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffMs(a, 1))).toEqual([1000, 2000, 4000, 8000, 16000, 16000]);
    expect(backoffMs(1, 0)).toBe(750);
    expect(retryAfterMs(null, NOW)).toBeUndefined();
    expect(retryAfterMs("soon", NOW)).toBeUndefined();
    expect(retryAfterMs("0", NOW)).toBe(0);
  });
});

describe("nextLink", () => {
  it("finds rel=next among GitHub's links", () => {
    const link =
      '<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=3>; rel="next", ' +
      '<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=5>; rel="last"';
    expect(nextLink(link)).toBe("https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=3");
    expect(nextLink('<https://x/a?page=1>; rel="prev", <https://x/a?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
