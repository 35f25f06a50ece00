import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { keepHeapSmall } from "../../../src/util/heap.js";

describe("keepHeapSmall", () => {
  it("collects the garbage once the heap in use passes its threshold (96 MB)", () => {
    // ~200 MB of short-lived garbage that survives into the old generation: arrays kept alive only briefly
    let keep: number[][] = [];
    for (let i = 0; i < 40; i++) {
      keep.push(Array.from({ length: 600_000 }, (_, k) => k + i));
      if (keep.length > 4) keep = keep.slice(-4);
    }
    // eslint-disable-next-line no-useless-assignment -- drops the last references: the heap is now garbage
    keep = [];
    const before = getHeapStatistics().used_heap_size;
    expect(before).toBeGreaterThan(96 * 1024 * 1024); // the setup really produced garbage above the threshold
    keepHeapSmall();
    const after = getHeapStatistics().used_heap_size;
    expect(after).toBeLessThan(before - 50 * 1024 * 1024);
  });

  it("does nothing below the threshold", () => {
    keepHeapSmall(); // collect whatever is there first
    const before = getHeapStatistics().used_heap_size;
    expect(before).toBeLessThan(96 * 1024 * 1024);
    const junk = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    keepHeapSmall();
    expect(junk.length).toBe(10_000);
    expect(getHeapStatistics().used_heap_size).toBeGreaterThanOrEqual(before);
  });
});
