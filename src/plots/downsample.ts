// Fewer points where the picture cannot show more. Two uses:
// - drawing: a line 300 px wide cannot show 10,000 points; per series and x-bucket we keep the first, last,
//   lowest and highest point (M4), which draws the same line with at most 4 points per bucket;
// - Mermaid: every series resampled onto one grid of at most N x positions (the mean of the points in each
//   x-interval, linear interpolation across empty intervals).
import { toNumber } from "./series.js";
import type { Datapoint } from "./types.js";

/** Keys that identify a series among datapoints (as converted, or as filled). */
const SERIES_KEYS = ["rev", "filename::field", "filename", "field"];

const sameSeries = (a: Datapoint, b: Datapoint): boolean => SERIES_KEYS.every((k) => a[k] === b[k]);

/**
 * M4 per series: at most 4 datapoints per x-bucket (the first, last, lowest and highest); datapoints keep their
 * order and all their fields. Null when an x value is not a number (nothing to bucket by).
 */
export function decimateDatapoints(
  datapoints: readonly Datapoint[],
  x: string,
  y: string,
  buckets: number,
): { datapoints: Datapoint[]; series: number; maxPoints: number } | null {
  const n = datapoints.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = toNumber(datapoints[i]![x]);
    if (!Number.isFinite(xs[i]!)) return null;
    ys[i] = toNumber(datapoints[i]![y]);
  }
  // series are runs of datapoints with the same rev/filename/field (how the converter emits them); a series seen
  // again later (unusual) joins its earlier run
  const groups: number[][] = [];
  const seen: { first: Datapoint; idx: number[] }[] = [];
  let current: number[] | undefined;
  for (let i = 0; i < n; i++) {
    const d = datapoints[i]!;
    if (current && sameSeries(datapoints[current[0]!]!, d)) {
      current.push(i);
      continue;
    }
    const known = seen.find((s) => sameSeries(s.first, d));
    if (known) current = known.idx;
    else {
      current = [];
      seen.push({ first: d, idx: current });
      groups.push(current);
    }
    current.push(i);
  }
  const keep = new Uint8Array(n);
  let maxPoints = 0;
  for (const idx of groups) {
    maxPoints = Math.max(maxPoints, idx.length);
    if (idx.length <= buckets * 4) {
      for (const i of idx) keep[i] = 1;
      continue;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of idx) {
      if (xs[i]! < lo) lo = xs[i]!;
      if (xs[i]! > hi) hi = xs[i]!;
    }
    const width = hi > lo ? (hi - lo) / buckets : 1;
    const first = new Int32Array(buckets).fill(-1);
    const last = new Int32Array(buckets);
    const min = new Int32Array(buckets);
    const max = new Int32Array(buckets);
    for (const i of idx) {
      if (!Number.isFinite(ys[i]!)) {
        keep[i] = 1; // not drawable as a number: leave it to the chart
        continue;
      }
      const b = Math.min(buckets - 1, Math.floor((xs[i]! - lo) / width));
      if (first[b] === -1) first[b] = last[b] = min[b] = max[b] = i;
      else {
        last[b] = i;
        if (ys[i]! < ys[min[b]!]!) min[b] = i;
        if (ys[i]! > ys[max[b]!]!) max[b] = i;
      }
    }
    for (let b = 0; b < buckets; b++)
      if (first[b] !== -1) keep[first[b]!] = keep[last[b]!] = keep[min[b]!] = keep[max[b]!] = 1;
  }
  return { datapoints: datapoints.filter((_, i) => keep[i] === 1), series: groups.length, maxPoints };
}

export interface Grid {
  xs: number[];
  /** One row of values per input series, on `xs`. */
  rows: number[][];
  /** True when a series did not cover the whole x range and was held at its end value. */
  extended: boolean;
}

/** Resamples every series onto a common grid of at most `maxPoints` x positions. */
export function resampleOnGrid(series: readonly { xs: number[]; ys: number[] }[], maxPoints: number): Grid {
  let lo = Infinity;
  let hi = -Infinity;
  const distinct = new Set<number>();
  for (const s of series)
    for (const v of s.xs) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (distinct.size <= maxPoints) distinct.add(v);
    }
  if (!Number.isFinite(lo)) return { xs: [], rows: series.map(() => []), extended: false };
  const n = hi === lo ? 1 : Math.max(2, Math.min(maxPoints, distinct.size));
  const step = n === 1 ? 0 : (hi - lo) / (n - 1);
  const xs = Array.from({ length: n }, (_, k) => lo + k * step);
  let extended = false;
  const rows = series.map((s) => {
    const sums = new Float64Array(n);
    const counts = new Uint32Array(n);
    for (let i = 0; i < s.xs.length; i++) {
      const k = step === 0 ? 0 : Math.min(n - 1, Math.max(0, Math.round((s.xs[i]! - lo) / step)));
      sums[k] = sums[k]! + s.ys[i]!;
      counts[k] = counts[k]! + 1;
    }
    const known: number[] = [];
    for (let k = 0; k < n; k++) if (counts[k]! > 0) known.push(k);
    if (known.length === 0) return xs.map(() => 0);
    if (known[0]! > 0 || known[known.length - 1]! < n - 1) extended = true;
    const mean = (k: number): number => sums[k]! / counts[k]!;
    const row: number[] = [];
    let j = 0;
    for (let k = 0; k < n; k++) {
      while (j < known.length - 1 && known[j + 1]! <= k) j++;
      const a = known[j]!;
      const b = known[Math.min(j + 1, known.length - 1)]!;
      if (k <= a || a === b) row.push(mean(k <= a ? a : b));
      else row.push(mean(a) + ((mean(b) - mean(a)) * (k - a)) / (b - a));
    }
    return row;
  });
  return { xs, rows, extended };
}
