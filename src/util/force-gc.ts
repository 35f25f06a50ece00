// Keeps the V8 heap near what is live during long transfers. With 64 requests in flight, the SDK's
// per-request objects outlive the young generation and pile up in the old one; V8 (heap limit ~4 GB on a
// 24 GB machine) lets ~60 MB of live data grow to 250 MB of heap before it collects, which is most of the
// process's RSS. A full collection every few thousand objects costs ~10-50 ms and keeps the heap flat.
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null | undefined; // undefined: not set up yet; null: unavailable
let threshold = 96 * 1024 * 1024;

function gcFunction(): (() => void) | null {
  try {
    // the flag applies to contexts created after it: a fresh one hands out the gc function
    setFlagsFromString("--expose-gc");
    const fn = runInNewContext("gc") as unknown;
    return typeof fn === "function" ? (fn as () => void) : null;
  } catch {
    return null;
  }
}

/** Collects garbage when the heap in use passed the threshold; raises the threshold when most of it is live. */
export function forceGcIfHeapLarge(): void {
  if (gc === null || getHeapStatistics().used_heap_size < threshold) return;
  gc ??= gcFunction();
  if (gc === null) return;
  gc();
  const live = getHeapStatistics().used_heap_size;
  if (live > threshold / 2) threshold = live * 2; // a large live set: collect less often
}
