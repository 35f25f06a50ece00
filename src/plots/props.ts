// Plot properties from dvc.yaml or the command line, projected onto DVC's PLOT_PROPS with their types checked
// (anything else is dropped, as DVC's `project(out.plot, PLOT_PROPS)` drops it).
import type { AxisDef, PlotProps } from "./types.js";

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

const isFields = (v: unknown): v is string | string[] =>
  typeof v === "string" || (Array.isArray(v) && v.every((f) => typeof f === "string"));

function axis(v: unknown): AxisDef | undefined {
  if (isFields(v)) return v;
  if (isPlainObject(v) && Object.values(v).every(isFields)) return v as Record<string, string | string[]>;
  return undefined;
}

/** The plot properties in `raw` (a dvc.yaml plot definition or output flags); null/true give none. */
export function projectProps(raw: unknown): PlotProps {
  if (!isPlainObject(raw)) return {};
  const out: PlotProps = {};
  for (const key of ["template", "title", "x_label", "y_label"] as const) {
    const v = raw[key];
    if (typeof v === "string") out[key] = v;
    else if (typeof v === "number") out[key] = String(v);
  }
  const x = axis(raw.x);
  if (x !== undefined) out.x = x;
  const y = axis(raw.y);
  if (y !== undefined) out.y = y;
  if (typeof raw.header === "boolean") out.header = raw.header;
  return out;
}
