import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { forceGcIfHeapLarge } from "../../../src/util/force-gc.js";

describe("forceGcIfHeapLarge", () => {
  it("collects the garbage once the heap in use passes its threshold (96 MB)", () => {
    // short-lived garbage that survives into the old generation (arrays kept alive only briefly), made until
    // the heap in use is above the threshold: V8 may collect some of it on its own meanwhile
    let keep: number[][] = [];
    for (let i = 0; i < 400 && getHeapStatistics().used_heap_size < 160 * 1024 * 1024; i++) {
      keep.push(Array.from({ length: 600_000 }, (_, k) => k + i));
      if (keep.length > 4) keep = keep.slice(-4);
    }
    // eslint-disable-next-line no-useless-assignment -- drops the last references: the heap is now garbage
    keep = [];
    const before = getHeapStatistics().used_heap_size;
    expect(before).toBeGreaterThan(96 * 1024 * 1024); // the setup really produced garbage above the threshold
    forceGcIfHeapLarge();
    const after = getHeapStatistics().used_heap_size;
    expect(after).toBeLessThan(before - 50 * 1024 * 1024);
  });

  it("does nothing below the threshold", () => {
    forceGcIfHeapLarge(); // collect whatever is there first
    const before = getHeapStatistics().used_heap_size;
    expect(before).toBeLessThan(96 * 1024 * 1024);
    const junk = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    forceGcIfHeapLarge();
    expect(junk.length).toBe(10_000);
    expect(getHeapStatistics().used_heap_size).toBeGreaterThanOrEqual(before);
  });
});
