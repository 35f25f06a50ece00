// DVC's dvc.utils.diff for metrics and params, as a pure function over parsed file data: for each file and
// each flattened key present on either side, old, new and (when both are numbers) diff = new - old.
// Unchanged keys only with `all`. A file missing or unreadable on one side counts as an empty mapping.
import { parsePyJson } from "../util/py-json-parse.js";
import { compareCodePoints } from "../util/py-json.js";
import { flatten, isMapping } from "./flatten.js";
import { isNumeric, leafEquals, subtract, type Leaf } from "./values.js";

export interface DiffCell {
  old: Leaf;
  new: Leaf;
  /** new - old when both are numbers (bools count as ints, as in Python). */
  diff?: Leaf;
}

export interface DiffRow extends DiffCell {
  /** The file, repo-relative. */
  path: string;
  /** The flattened key ("" for a file whose top level is a single value). */
  key: string;
}

const UNPARSABLE = "unable to parse";

const toLeaf = (v: unknown): Leaf => (v === undefined ? null : (v as Leaf));

/** _diff_vals: undefined when there is nothing to report. */
function diffValues(oldV: unknown, newV: unknown, all: boolean): DiffCell | undefined {
  if (Array.isArray(oldV) && Array.isArray(newV) && oldV.length === 1 && newV.length === 1)
    return diffValues(oldV[0], newV[0], all);
  if (!all && leafEquals(oldV, newV)) return undefined;
  const cell: DiffCell = { old: toLeaf(oldV), new: toLeaf(newV) };
  if (isNumeric(oldV) && isNumeric(newV)) cell.diff = subtract(newV, oldV);
  return cell;
}

/** Python truthiness of parsed data, for `_flatten`'s `if not d`. */
const falsy = (d: unknown): boolean =>
  d === undefined ||
  d === null ||
  d === false ||
  d === 0 ||
  d === 0n ||
  d === "" ||
  (Array.isArray(d) && d.length === 0) ||
  (isMapping(d) && Object.keys(d).length === 0);

/** _flatten: the flat view of one side, and what a key missing from it reads as. */
function flatSide(d: unknown): { keys: Map<string, unknown>; missing: unknown } {
  if (falsy(d)) return { keys: new Map(), missing: undefined };
  if (isMapping(d)) return { keys: flatten(d), missing: undefined };
  return { keys: new Map(), missing: UNPARSABLE };
}

/** A top-level string may hold JSON (DVC's `_parse`). */
function parseRaw(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return parsePyJson(raw);
  } catch {
    // not JSON (PyJsonError): the string itself is the value
    return raw;
  }
}

/** The changes in one file, sorted by key (code points, as Python's sorted()). */
export function diffFileData(oldRaw: unknown, newRaw: unknown, all: boolean): Array<[string, DiffCell]> {
  const oldD = parseRaw(oldRaw === undefined ? {} : oldRaw);
  const newD = parseRaw(newRaw === undefined ? {} : newRaw);
  const out: Array<[string, DiffCell]> = [];
  if (isMapping(oldD) || isMapping(newD)) {
    const o = flatSide(oldD);
    const n = flatSide(newD);
    const keys = new Set([...o.keys.keys(), ...n.keys.keys()]);
    for (const key of keys) {
      const cell = diffValues(
        o.keys.has(key) ? o.keys.get(key) : o.missing,
        n.keys.has(key) ? n.keys.get(key) : n.missing,
        all,
      );
      if (cell) out.push([key, cell]);
    }
  } else {
    const cell = diffValues(oldD, newD, all);
    if (cell) out.push(["", cell]);
  }
  return out.sort(([a], [b]) => compareCodePoints(a, b));
}

/**
 * Rows for every file in `paths` (in that order; DVC's own order is random), keys sorted within a file.
 * `oldData`/`newData` map a path to its data; a path absent from a map is missing on that side.
 */
export function diffFiles(
  paths: readonly string[],
  oldData: ReadonlyMap<string, unknown>,
  newData: ReadonlyMap<string, unknown>,
  all: boolean,
): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const path of paths)
    for (const [key, cell] of diffFileData(oldData.get(path), newData.get(path), all))
      rows.push({ path, key, ...cell });
  return rows;
}
