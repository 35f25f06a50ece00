// A plot's datapoints as numeric series: one per revision and y source (file/field), in datapoint order.
import type { Datapoint } from "./types.js";

export interface Series {
  /** "HEAD~1", or "HEAD~1 · acc.csv::val_acc" when the plot has several y sources. */
  label: string;
  rev: string;
  xs: number[];
  ys: number[];
}

/** Keys that tell a plot's y sources apart (what is left of filename/field after filling). */
const SOURCE_KEYS = ["filename::field", "filename", "field"];

export const toNumber = (v: unknown): number =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;

/** Series of `datapoints` on fields `x` and `y`; points whose x or y is not a number are left out. */
export function seriesOf(datapoints: readonly Datapoint[], x: string, y: string): Series[] {
  const byKey = new Map<string, Series>();
  for (const d of datapoints) {
    const rev = String(d.rev ?? "");
    const source = SOURCE_KEYS.filter((k) => typeof d[k] === "string").map((k) => d[k] as string)[0];
    const key = source === undefined ? rev : `${rev}\u0000${source}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { label: source === undefined ? rev : `${rev} · ${source}`, rev, xs: [], ys: [] }));
    const xv = toNumber(d[x]);
    const yv = toNumber(d[y]);
    if (Number.isFinite(xv) && Number.isFinite(yv)) {
      s.xs.push(xv);
      s.ys.push(yv);
    }
  }
  return [...byKey.values()];
}
