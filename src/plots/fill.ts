// Filling a Vega-Lite template, as dvc-render's VegaRenderer.get_filled_template does: the optional anchors first
// (colour per revision, stroke dash/shape per series, grouping, tooltip, size, zoom), then title, x, y, labels and
// the data. Anchors are JSON strings "<DVC_METRIC_NAME>"; a value that is exactly an anchor is replaced by any JSON
// value, an anchor inside a longer string by text.
import type { Datapoint } from "./types.js";

type Json = unknown;

export const anchor = (name: string): string => `<DVC_METRIC_${name.toUpperCase()}>`;

const OPTIONAL_ANCHORS = [
  "color",
  "column",
  "group_by_x",
  "group_by_y",
  "group_by",
  "pivot_field",
  "plot_height",
  "plot_width",
  "row",
  "shape",
  "stroke_dash",
  "tooltip",
  "zoom_and_pan",
];
const RANGES: Record<string, Json[]> = {
  stroke_dash: [
    [1, 0],
    [8, 8],
    [8, 4],
    [4, 4],
    [4, 2],
    [2, 1],
    [1, 1],
  ],
  color: ["#945dd6", "#13adc7", "#f46837", "#48bb78", "#4299e1", "#ed8936", "#f56565"],
  shape: ["circle", "square", "triangle", "diamond"],
};
const SEP = "::";

const isObj = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** dvc-render's `find_value`: an exact string anywhere under mapping values (lists inside mappings included). */
export function hasAnchor(content: Json, name: string): boolean {
  const target = anchor(name);
  const find = (d: Json): boolean => {
    if (typeof d === "string") return d === target;
    if (!isObj(d)) return false;
    return Object.values(d).some((v) => (Array.isArray(v) ? v.some(find) : find(v)));
  };
  return find(content);
}

/** dvc-render's `dict_replace_value` / `list_replace_value`. */
export function fillAnchor(content: Json, name: string, value: Json): Json {
  const target = anchor(name);
  const inList = (l: Json[]): Json[] =>
    l.map((e) => (Array.isArray(e) ? inList(e) : isObj(e) ? inDict(e) : e === target ? value : e));
  const inDict = (d: Record<string, Json>): Record<string, Json> => {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(d)) {
      if (isObj(v)) out[k] = inDict(v);
      else if (Array.isArray(v)) out[k] = inList(v);
      else if (typeof v === "string" && v === target) out[k] = value;
      else if (typeof v === "string" && typeof value === "string") out[k] = v.split(target).join(value);
      else out[k] = v;
    }
    return out;
  };
  return isObj(content) ? inDict(content) : content;
}

/** Vega field names treat ".", "[" and "]" as paths: DVC escapes them in x and y. */
export const escapeField = (v: string): string => v.replace(/[.[\]]/g, (c) => `\\${c}`);

export interface FillProps {
  title?: string;
  x?: string;
  y?: string;
  x_label?: string;
  y_label?: string;
  anchors_y_definitions?: { filename: string; field: string }[];
  revs_with_datapoints?: string[];
}

export class TemplateError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function mapping(field: string, name: string, domain: string[]): Json {
  const full = RANGES[name] ?? [];
  const range = domain.map((_, i) => full[i % full.length]);
  const legend = name === "color" ? {} : { legend: { symbolFillColor: "transparent", symbolStrokeColor: "grey" } };
  return { field, scale: { domain, range }, ...legend };
}

/** Fills `template` for `datapoints` (which may lose their filename/field keys, as in DVC). */
export function fillTemplate(
  template: Json,
  templateName: string,
  datapoints: Datapoint[],
  props: FillProps,
): { content: Record<string, Json>; datapoints: Datapoint[] } {
  if (datapoints.length === 0) return { content: {}, datapoints };
  for (const axis of [props.x, props.y])
    if (axis && !datapoints.some((d) => axis in d))
      throw new TemplateError("NoFieldInDataError", `Field '${axis}' does not exist in provided data.`);
  const x = props.x;
  const y = props.y;
  let content = template;
  const optional = OPTIONAL_ANCHORS.filter((a) => hasAnchor(content, a));
  const fill = (name: string, value: Json): void => {
    const i = optional.indexOf(name);
    if (i < 0) return;
    optional.splice(i, 1);
    content = fillAnchor(content, name, value);
  };
  let varied: string[] | null = null;
  if (optional.length > 0) {
    const revs = props.revs_with_datapoints?.length ? props.revs_with_datapoints : revsOf(datapoints);
    fill("color", mapping("rev", "color", revs));
    fill("zoom_and_pan", { name: "grid", select: "interval", bind: "scales" });
    fill("plot_height", 300);
    fill("plot_width", 300);
    const ydefs = props.anchors_y_definitions ?? [];
    const { keys, domain } = variations(ydefs);
    if (ydefs.length <= 1 || keys.length === 0) {
      fill("group_by", ["rev"]);
      fill("group_by_x", ["rev", x]);
      fill("group_by_y", ["rev", y]);
      fill("pivot_field", "datum.rev");
      fill("tooltip", [{ field: "rev" }, { field: x }, { field: y }]);
      for (const rest of [...optional]) fill(rest, {});
      varied = [];
    } else {
      const concat = keys.join(SEP);
      fill("group_by", ["rev", concat]);
      fill("group_by_x", ["rev", concat, x]);
      fill("group_by_y", ["rev", concat, y]);
      fill("pivot_field", ["rev", ...keys].map((k) => `datum.${k}`).join(` + '${SEP}' + `));
      fill("row", { field: concat, sort: [] });
      fill("column", { field: concat, sort: [] });
      fill("tooltip", [{ field: "rev" }, { field: x }, { field: y }, { field: concat }]);
      for (const name of ["stroke_dash", "shape"]) fill(name, mapping(concat, name, domain));
      varied = keys;
    }
  }
  const points = varied === null ? datapoints : updateDatapoints(datapoints, varied);
  const named: [string, Json][] = [
    ["title", props.title ?? ""],
    ["x", x === undefined ? undefined : escapeField(x)],
    ["y", y === undefined ? undefined : escapeField(y)],
    ["x_label", props.x_label ?? x],
    ["y_label", props.y_label ?? y],
  ];
  for (const [name, value] of named)
    if (value !== undefined && value !== null) content = fillAnchor(content, name, value);
  if (!hasAnchor(content, "data"))
    throw new TemplateError("BadTemplateError", `Template '${templateName}' is not using '${anchor("data")}' anchor`);
  content = fillAnchor(content, "data", points);
  return { content: content as Record<string, Json>, datapoints: points };
}

function revsOf(datapoints: Datapoint[]): string[] {
  const revs: string[] = [];
  for (const d of datapoints) if (typeof d.rev === "string" && d.rev && !revs.includes(d.rev)) revs.push(d.rev);
  return revs;
}

/** Which of filename/field vary across the y series, and the sorted domain of their (joined) values. */
function variations(ydefs: { filename: string; field: string }[]): { keys: string[]; domain: string[] } {
  const keys = (["filename", "field"] as const).filter((k) => new Set(ydefs.map((d) => d[k])).size > 1);
  const values =
    keys.length === 2 ? ydefs.map((d) => `${d.filename}${SEP}${d.field}`) : ydefs.map((d) => d[keys[0] ?? "field"]);
  return { keys, domain: [...new Set(values)].sort() };
}

/** The datapoints without the filename/field keys that do not vary (joined into one key when both vary). */
function updateDatapoints(datapoints: Datapoint[], varied: string[]): Datapoint[] {
  const both = varied.length === 2;
  const drop = new Set(["filename", "field"].filter((k) => both || !varied.includes(k)));
  const joined = varied.join(SEP);
  return datapoints.map((d) => {
    const out: Datapoint = {};
    for (const k in d) if (!drop.has(k)) out[k] = d[k];
    if (both) out[joined] = varied.map((k) => d[k]).join(SEP);
    return out;
  });
}
