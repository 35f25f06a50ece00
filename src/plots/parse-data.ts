// Plot data files → values, as DVC reads them: CSV/TSV with Python's csv.DictReader rules (values stay strings;
// `header: false` names the columns "0", "1", ...), JSON and YAML as they are. Images are kept as bytes.
import { posix } from "node:path";
import { parseYaml, YamlSyntaxError } from "../util/yaml.js";
import { isPlainObject } from "./props.js";
import type { Datapoint, ParsedData } from "./types.js";

/** DVC's ImageRenderer.EXTENSIONS. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([".jpg", ".jpeg", ".gif", ".png", ".svg"]);
const DATA_EXTENSIONS: ReadonlySet<string> = new Set([".json", ".yaml", ".yml", ".csv", ".tsv"]);

export const extensionOf = (path: string): string => posix.extname(path);
export const isImagePath = (path: string): boolean => IMAGE_EXTENSIONS.has(extensionOf(path));

/** A data file DVC cannot plot; `type` is DVC's exception name (it shows in `--json` errors). */
export class PlotDataError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a plot data file by its extension (case-sensitive, as DVC's). */
export function parsePlotData(path: string, bytes: Uint8Array, header = true): ParsedData {
  const ext = extensionOf(path);
  if (!DATA_EXTENSIONS.has(ext))
    throw new PlotDataError(
      "PlotMetricTypeError",
      `'${path}' - file type error\nOnly JSON, YAML, CSV and TSV formats are supported.`,
    );
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new PlotDataError("EncodingError", `'${path}' is not valid utf8`);
  }
  if (ext === ".csv" || ext === ".tsv") return parseSv(text, ext === ".tsv" ? "\t" : ",", header);
  if (ext === ".json") {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      throw new PlotDataError("JSONFileCorruptedError", `unable to read: '${path}', JSON file structure is corrupted`);
    }
  }
  try {
    return parseYaml(text, path);
  } catch (err) {
    if (!(err instanceof YamlSyntaxError)) throw err;
    throw new PlotDataError("YAMLFileCorruptedError", `unable to read: '${path}', YAML file structure is corrupted`);
  }
}

/** Rows of a delimited file (Python csv "excel" dialect: quotes, doubled quotes, CR/LF; blank lines skipped). */
export function splitRows(text: string, delimiter: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.includes('"'))
    return text
      .split(/\r\n|\r|\n/)
      .filter((line) => line !== "")
      .map((line) => line.split(delimiter));
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let touched = false; // the current row has a delimiter or a quote: not a blank line
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[i++];
      else quoted = false;
    } else if (c === '"' && field === "") {
      quoted = touched = true;
    } else if (c === delimiter) {
      row.push(field);
      field = "";
      touched = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (touched || field !== "") rows.push([...row, field]);
      row = [];
      field = "";
      touched = false;
    } else field += c;
  }
  if (touched || field !== "") rows.push([...row, field]);
  return rows;
}

/** csv.DictReader: records keyed by the header row (or "0", "1", ... without one); short rows get null. */
export function parseSv(text: string, delimiter: string, header = true): Record<string, string | null>[] {
  const rows = splitRows(text, delimiter);
  if (rows.length === 0) return [];
  const names = header ? rows[0]! : rows[0]!.map((_, i) => String(i));
  const out: Record<string, string | null>[] = [];
  for (let r = header ? 1 : 0; r < rows.length; r++) {
    const row = rows[r]!;
    const rec: Record<string, string | null> = {};
    for (let i = 0; i < names.length; i++) rec[names[i]!] = i < row.length ? row[i]! : null;
    out.push(rec);
  }
  return out;
}

/** DVC's `_lists`: the blob itself when it is a list, else every list found in its (nested) mapping values. */
export function listsIn(blob: unknown): unknown[][] {
  if (Array.isArray(blob)) return [blob];
  const out: unknown[][] = [];
  if (!isPlainObject(blob)) return out;
  for (const value of Object.values(blob)) {
    if (isPlainObject(value)) out.push(...listsIn(value));
    else if (Array.isArray(value)) out.push(value);
  }
  return out;
}

/** A list of records that all have the same keys (DVC's `_is_datapoints`: no record has a key the first lacks). */
function isDatapoints(list: unknown[]): list is Datapoint[] {
  const first = list[0];
  if (!isPlainObject(first)) return false;
  for (const d of list) {
    if (!isPlainObject(d)) return false;
    for (const k in d) if (!Object.hasOwn(first, k)) return false;
  }
  return true;
}

/**
 * DVC's `get_datapoints`: the records of every datapoint list in the blob, merged index by index. A blob with a
 * single list (a CSV file, a JSON list) gives that list itself: callers copy before they change a record.
 */
export function datapointsOf(blob: unknown): readonly Datapoint[] {
  const lists = listsIn(blob).filter(isDatapoints);
  if (lists.length === 1) return lists[0]!;
  const result: Datapoint[] = [];
  for (const list of lists)
    list.forEach((d, i) => {
      result[i] = Object.assign(result[i] ?? {}, d);
    });
  return result;
}
