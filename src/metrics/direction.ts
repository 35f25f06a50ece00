// Which way is better for a metric (dvx-only): `higher` or `lower`, configured per metric name ("acc") or per
// file and name ("eval/metrics.json:acc"), and the verdict on a change: improved, regressed or unchanged.
// Names are matched case-insensitively (the INI config lower-cases its keys, as DVC's does).
import type { DiffCell } from "./diff.js";
import { isNumeric, leafEquals } from "./values.js";
import { PyFloat } from "../util/py-float.js";

export type Direction = "higher" | "lower";
export type Verdict = "improved" | "regressed" | "unchanged";

/** Lower-cased "path:key" or "key" → direction. */
export type Directions = ReadonlyMap<string, Direction>;

export const DIRECTIONS: readonly Direction[] = ["higher", "lower"];

/** Parses "name=higher" / "path:name=lower" (the --direction flag); undefined when malformed. */
export function parseDirectionSpec(spec: string): { name: string; direction: Direction } | undefined {
  const at = spec.lastIndexOf("=");
  const name = spec.slice(0, at).trim();
  const direction = spec
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (at <= 0 || name === "" || !(DIRECTIONS as readonly string[]).includes(direction)) return undefined;
  return { name: name.toLowerCase(), direction: direction as Direction };
}

/** The direction for `key` of `path`: a "path:key" entry wins over a plain "key" entry. */
export function directionFor(dirs: Directions, path: string, key: string): Direction | undefined {
  return dirs.get(`${path}:${key}`.toLowerCase()) ?? dirs.get(key.toLowerCase());
}

/** The sign of a numeric leaf (-1, 0, 1), NaN for anything else. */
export const signOf = (d: unknown): number => {
  const n = d instanceof PyFloat ? d.value : typeof d === "boolean" ? Number(d) : Number(d);
  return Number.isNaN(n) ? NaN : Math.sign(n);
};

/**
 * unchanged when old equals new; improved/regressed when both are numbers, the metric has a direction and
 * the change goes its way or the other; undefined otherwise (no direction, text values, a side missing).
 */
export function verdictOf(cell: DiffCell, direction: Direction | undefined): Verdict | undefined {
  if (cell.old !== null && cell.new !== null && leafEquals(cell.old, cell.new)) return "unchanged";
  if (direction === undefined || !isNumeric(cell.old) || !isNumeric(cell.new) || cell.diff === undefined)
    return undefined;
  const s = signOf(cell.diff);
  if (s === 0) return "unchanged";
  if (Number.isNaN(s)) return undefined;
  return s > 0 === (direction === "higher") ? "improved" : "regressed";
}
