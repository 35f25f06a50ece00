// Fewer points where the picture cannot show more. Two uses:
// - drawing: a line 300 px wide cannot show 10,000 points; per series and x-bucket we keep the first, last,
//   lowest and highest point (M4), which draws the same line with at most 4 points per bucket;
// - Mermaid: every series resampled onto one grid of at most N x positions (the mean of the points in each
//   x-interval, linear interpolation across empty intervals).
import { toNumber } from "./series.js";
import type { Datapoint } from "./types.js";

/** Keys that identify a series inside a filled spec's datapoints. */
const SERIES_KEYS = ["rev", "filename::field", "filename", "field"];

/** M4 per series: at most 4 datapoints per x-bucket; datapoints keep their order and all their fields. */
export function decimateDatapoints(
  datapoints: readonly Datapoint[],
  x: string,
  y: string,
  buckets: number,
): { datapoints: Datapoint[]; series: number; maxPoints: number } {
  const groups = new Map<string, number[]>();
  datapoints.forEach((d, i) => {
    const key = SERIES_KEYS.map((k) => String(d[k] ?? "")).join("\u0000");
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  });
  const keep = new Uint8Array(datapoints.length);
  let maxPoints = 0;
  for (const idx of groups.values()) {
    maxPoints = Math.max(maxPoints, idx.length);
    if (idx.length <= buckets * 4) {
      for (const i of idx) keep[i] = 1;
      continue;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of idx) {
      const v = toNumber(datapoints[i]![x]);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const width = hi > lo ? (hi - lo) / buckets : 1;
    const picks = new Map<number, { first: number; last: number; min: number; max: number }>();
    for (const i of idx) {
      const xv = toNumber(datapoints[i]![x]);
      const yv = toNumber(datapoints[i]![y]);
      if (!Number.isFinite(xv) || !Number.isFinite(yv)) {
        keep[i] = 1; // not drawable as a number: leave it to the chart
        continue;
      }
      const b = Math.min(buckets - 1, Math.floor((xv - lo) / width));
      const p = picks.get(b);
      if (!p) picks.set(b, { first: i, last: i, min: i, max: i });
      else {
        p.last = i;
        if (yv < toNumber(datapoints[p.min]![y])) p.min = i;
        if (yv > toNumber(datapoints[p.max]![y])) p.max = i;
      }
    }
    for (const p of picks.values()) keep[p.first] = keep[p.last] = keep[p.min] = keep[p.max] = 1;
  }
  return { datapoints: datapoints.filter((_, i) => keep[i] === 1), series: groups.size, maxPoints };
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
