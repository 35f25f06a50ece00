// Bounded concurrency: the one pool (indexed tasks, at most `limit` in flight) and a semaphore for calls
// that arrive one by one.

/**
 * Runs `count` indexed tasks with at most `limit` in flight. After the first failure no new task starts;
 * `onFirstError` runs at once (e.g. to abort the in-flight ones), the pool waits for them to settle, and the
 * first error is thrown.
 */
export async function runPool(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
  onFirstError?: () => void,
): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        if (!failed) {
          failed = { err };
          onFirstError?.();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  if (failed) throw failed.err;
}

/** Like runPool but keeps going after failures and returns them (for transfers: partial failure is data). */
export async function runPoolSettled(
  count: number,
  limit: number,
  task: (i: number) => Promise<void>,
): Promise<Array<{ index: number; error: unknown }>> {
  const errors: Array<{ index: number; error: unknown }> = [];
  await runPool(count, limit, async (i) => {
    try {
      await task(i);
    } catch (error) {
      errors.push({ index: i, error });
    }
  });
  return errors.sort((a, b) => a.index - b.index);
}

/** A semaphore: at most `max` of the given calls run at once, the rest wait in order. */
export function limiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= max) await new Promise<void>((wake) => waiting.push(wake));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next)
        next(); // the slot passes straight to the next task
      else active--;
    }
  };
}
