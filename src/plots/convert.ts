// One revision's data files → datapoints for one plot, as DVC's VegaConverter does: x and y inferred when absent
// (x = the record index as `step`, y = the last field of the first record), several files/fields become several
// series tagged with `filename` and `field`, and every datapoint gets the revision in `rev`.
import { datapointsOf, listsIn } from "./parse-data.js";
import { isPlainObject } from "./props.js";
import type { AxisDef, Datapoint, ParsedData, PlotProps } from "./types.js";

export const INDEX_FIELD = "step";
export const INFERRED_X = "dvc_inferred_x_value";
export const INFERRED_Y = "dvc_inferred_y_value";

/** A definition that cannot be drawn from this revision's data; `type` is DVC's exception name. */
export class PlotDefinitionError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The properties after conversion: x/y are single field names, labels are set, series are listed. */
export interface ConvertedProps extends Omit<PlotProps, "x" | "y"> {
  x: string;
  y: string | undefined;
  x_label: string;
  y_label: string | undefined;
  anchors_y_definitions: { filename: string; field: string }[];
}

type FileFields = Record<string, string | string[]>;

function* fileFields(def: AxisDef | undefined | null): Generator<[string, string]> {
  if (!isPlainObject(def)) return;
  for (const [file, val] of Object.entries(def)) {
    if (typeof val === "string") yield [file, val];
    else if (Array.isArray(val)) for (const field of val) yield [file, field];
  }
}

function verifyField(files: Map<string, readonly Datapoint[]>, file: string, field: string): void {
  const first = files.get(file)?.[0];
  if (first !== undefined && !(field in first))
    throw new PlotDefinitionError(
      "FieldNotFoundError",
      `Could not find provided field ('${field}') in data fields ('${Object.keys(first).join(", ")}').`,
    );
}

function inferYFromData(plotId: string, data: Map<string, ParsedData>): FileFields | undefined {
  if (!data.has(plotId)) return undefined;
  for (const list of listsIn(data.get(plotId))) {
    if (!list.every(isPlainObject)) continue;
    const first = list[0] as Datapoint | undefined;
    const keys = first ? Object.keys(first) : [];
    return keys.length > 0 ? { [plotId]: keys[keys.length - 1]! } : undefined;
  }
  return undefined;
}

function labelOf(explicit: string | undefined, def: AxisDef | undefined, fallback: string): string {
  if (explicit !== undefined) return explicit;
  const fields = new Set([...fileFields(def)].map(([, f]) => f));
  return fields.size === 1 ? [...fields][0]! : fallback;
}

/** Length of os.path.commonpath over POSIX paths (0 when they share nothing). */
function commonPrefixLength(paths: string[]): number {
  const split = paths.map((p) => p.split("/"));
  const common: string[] = [];
  for (let i = 0; split.every((s) => i < s.length && s[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  return common.join("/").length;
}

const shortFile = (file: string, prefix: number): string => file.slice(prefix).replace(/^[/\\]+|[/\\]+$/g, "");

export interface Converted {
  datapoints: Datapoint[];
  props: ConvertedProps;
}

/** DVC's `VegaConverter.flat_datapoints`; null when the revision yields no datapoints. */
export function flatDatapoints(
  plotId: string,
  props: PlotProps,
  data: Map<string, ParsedData>,
  rev: string,
): Converted | null {
  const { x, y } = props;
  let xDef: AxisDef | undefined = x;
  let yDef: AxisDef | undefined = y;
  if (typeof x === "string") {
    const inferred: FileFields = {};
    if (isPlainObject(y))
      for (const [file, fields] of Object.entries(y)) inferred[file] = Array.isArray(fields) ? fields.map(() => x) : x;
    else inferred[plotId] = x;
    xDef = inferred;
  }
  if (y === undefined) yDef = inferYFromData(plotId, data);
  else if (!isPlainObject(y)) yDef = { [plotId]: y };

  const files = new Map<string, readonly Datapoint[]>();
  for (const [file, content] of data) files.set(file, datapointsOf(content));
  const yLabel = props.y_label ?? (yDef === undefined ? undefined : labelOf(undefined, yDef, "y"));
  const xLabel = isPlainObject(xDef) ? labelOf(props.x_label, xDef, "x") : (props.x_label ?? INDEX_FIELD);

  const xs = [...fileFields(xDef)];
  for (const [file, field] of xs) verifyField(files, file, field);
  let [xFile, xField]: [string | null, string] = xs[0] ?? [null, INDEX_FIELD];
  const multipleX = xs.length > 1 && new Set(xs.map(([, f]) => f)).size > 1;
  const ys = [...fileFields(yDef)];
  for (const [file, field] of ys) verifyField(files, file, field);
  if (xs.length > 1 && xs.length !== ys.length)
    throw new PlotDefinitionError(
      "DvcException",
      `Cannot have different number of x and y data sources. Found ${xs.length} x and ${ys.length} y data sources.`,
    );
  const yFields = new Set(ys.map(([, f]) => f));
  const yFiles = new Set(ys.map(([f]) => f));
  const yName = yFields.size > 1 ? INFERRED_Y : [...yFields][0];
  const prefix = yFiles.size > 1 ? commonPrefixLength([...yFiles]) : 0;

  const all: Datapoint[] = [];
  ys.forEach(([yFile, yField], i) => {
    if (xs.length > 1) [xFile, xField] = xs[i]!;
    const rows = files.get(yFile) ?? [];
    const byIndex = xField === INDEX_FIELD && xFile === null;
    const source = byIndex ? [] : (files.get(xFile ?? "") ?? []);
    if (!byIndex && source.length !== rows.length)
      throw new PlotDefinitionError(
        "DvcException",
        `Cannot join '${xField}' from '${xFile}' and '${yField}' from '${yFile}'. They have to have same length.`,
      );
    const xTarget = multipleX ? INFERRED_X : xField;
    const filename = shortFile(yFile, prefix);
    for (let index = 0; index < rows.length; index++) {
      // a for-in copy: object spread takes a slow path on records built with computed keys (5× here)
      const row = rows[index]!;
      const d: Datapoint = {};
      for (const k in row) d[k] = row[k];
      if (yName === INFERRED_Y && yField in d) d[INFERRED_Y] = d[yField];
      if (byIndex) d[INDEX_FIELD] = index;
      else if (xField in source[index]!) d[xTarget] = source[index]![xField];
      d.rev = rev;
      d.filename = filename;
      d.field = yField;
      all.push(d);
    }
  });
  if (all.length === 0) return null;
  return {
    datapoints: all,
    props: {
      ...props,
      x: multipleX ? INFERRED_X : xField,
      y: yName,
      x_label: xLabel,
      y_label: yLabel,
      anchors_y_definitions: ys.map(([file, field]) => ({ filename: shortFile(file, prefix), field })),
    },
  };
}
