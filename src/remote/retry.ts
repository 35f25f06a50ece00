// Hand-written on purpose: the SDK's retries cannot resend streamed bodies; this wraps whole operations.
// Retry with exponential backoff and full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
// sleep = random(0, min(maxDelay, base * 2^attempt)). Used on top of the SDK's own retries for what the
// SDK cannot retry itself: streamed request bodies, bodies cut short mid-download, exhausted retry quota.

export interface RetryPolicy {
  /** Total tries including the first (>= 1). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface RetryOptions extends RetryPolicy {
  isRetryable: (err: unknown) => boolean;
  signal?: AbortSignal;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const attempts = Math.max(1, opts.attempts);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted === true || attempt + 1 >= attempts || !opts.isRetryable(err)) throw err;
      await sleep(backoffDelay(attempt, opts, opts.random), opts.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
