// A plot's datapoints as numeric series: one per revision and y source (file/field), in datapoint order.
import type { Datapoint } from "./types.js";

export interface Series {
  /** "HEAD~1", or "HEAD~1 · acc.csv::val_acc" when the plot has several y sources. */
  label: string;
  rev: string;
  xs: number[];
  ys: number[];
}

export const toNumber = (v: unknown): number =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;

/**
 * Series of `datapoints` (as converted: tagged with rev, filename and field) on fields `x` and `y`; points whose
 * x or y is not a number are left out. Sources are told apart as DVC's legend does: by the file and/or the field,
 * whichever of them varies across the plot's y definitions.
 */
export function seriesOf(
  datapoints: readonly Datapoint[],
  x: string,
  y: string,
  ydefs: readonly { filename: string; field: string }[] = [],
): Series[] {
  const varied = (["filename", "field"] as const).filter((k) => new Set(ydefs.map((d) => d[k])).size > 1);
  const byKey = new Map<string, Series>();
  for (const d of datapoints) {
    const rev = String(d.rev ?? "");
    const source = varied.map((k) => String(d[k] ?? "")).join("::");
    const key = `${rev}\u0000${source}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { label: source === "" ? rev : `${rev} · ${source}`, rev, xs: [], ys: [] }));
    const xv = toNumber(d[x]);
    const yv = toNumber(d[y]);
    if (Number.isFinite(xv) && Number.isFinite(yv)) {
      s.xs.push(xv);
      s.ys.push(yv);
    }
  }
  return [...byKey.values()];
}
