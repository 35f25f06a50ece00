// When to retry a GitHub answer, and after how long (pure). GitHub's rules: a secondary rate limit is a 403 or 429;
// wait Retry-After seconds when given; when x-ratelimit-remaining is 0, wait until x-ratelimit-reset (epoch
// seconds); otherwise wait at least a minute. 5xx answers are retried with exponential backoff.
import type { UnavailableReason } from "./github-errors.js";

export interface RetryDecision {
  waitMs: number;
  reason: Exclude<UnavailableReason, "network">;
}

const SERVER_RETRY = new Set([500, 502, 503, 504]);

/** Exponential backoff: 1 s, 2 s, 4 s, ... capped at 16 s, with jitter (75-100 %). */
export const backoffMs = (attempt: number, rand: number = Math.random()): number =>
  Math.round(Math.min(16_000, 1000 * 2 ** (attempt - 1)) * (0.75 + 0.25 * rand));

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function retryDelayMs(
  status: number,
  headers: Headers,
  body: string,
  attempt: number,
  now: number,
): RetryDecision | undefined {
  const after = retryAfterMs(headers.get("retry-after"), now);
  if (SERVER_RETRY.has(status)) return { waitMs: after ?? backoffMs(attempt), reason: "server" };
  if (status !== 403 && status !== 429) return undefined;
  if (after !== undefined) return { waitMs: after, reason: "rate-limit" };
  const remaining = headers.get("x-ratelimit-remaining");
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (remaining === "0" && Number.isFinite(reset) && reset > 0)
    return { waitMs: Math.max(0, reset * 1000 - now) + 1000, reason: "rate-limit" };
  if (status === 429 || /secondary rate limit|abuse detection/i.test(body))
    return { waitMs: Math.max(60_000, backoffMs(attempt)), reason: "rate-limit" };
  return undefined; // a plain 403: permission denied
}
