// Runs `count` indexed tasks with at most `limit` in flight; the first error stops new work and is thrown.
export async function runPool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed ??= { err };
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
