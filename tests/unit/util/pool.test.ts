import { describe, expect, test } from "vitest";
import { limiter, runPool, runPoolSettled } from "../../../src/util/pool.js";

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("runPool", () => {
  test("runs every task with at most `limit` in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool(10, 3, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
      done.push(i);
    });
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  test("stops starting work after the first failure, calls onFirstError once and rethrows", async () => {
    const started: number[] = [];
    let aborted = 0;
    const err = await runPool(
      6,
      2,
      async (i) => {
        started.push(i);
        if (i === 1) throw new Error("boom");
        await tick();
      },
      () => aborted++,
    ).catch((e: Error) => e.message);
    expect(err).toBe("boom");
    expect(aborted).toBe(1);
    expect(started.length).toBeLessThan(6);
  });

  test("runPoolSettled keeps going and returns the failures in index order", async () => {
    const ran: number[] = [];
    const errors = await runPoolSettled(5, 2, async (i) => {
      ran.push(i);
      await tick(5 - i);
      if (i % 2 === 1) throw new Error(`e${i}`);
    });
    expect(ran.length).toBe(5);
    expect(errors.map((e) => [e.index, (e.error as Error).message])).toEqual([
      [1, "e1"],
      [3, "e3"],
    ]);
  });
});

describe("limiter", () => {
  test("at most `max` calls run at once and each gets its own result", async () => {
    const limit = limiter(2);
    let inFlight = 0;
    let peak = 0;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        limit(async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await tick();
          inFlight--;
          return n * 10;
        }),
      ),
    );
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  test("a failing call frees its slot", async () => {
    const limit = limiter(1);
    await expect(limit(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    await expect(limit(async () => 7)).resolves.toBe(7);
  });
});
