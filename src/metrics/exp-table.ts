// DVC's experiments/show.py `tabulate`: one row per baseline and per experiment, columns Experiment, rev, typ,
// Created, parent, State, Executor, then every metric and param (per file, in the order first seen; a name that
// two files share, or that clashes with a fixed column, is written `file:name`), then each dependency's hash
// (sorted). Experiments can be sorted by one metric or param (--sort-by). Pure: cells are strings.
import { UsageError } from "../errors.js";
import { createdCell, expCell } from "./exp-cells.js";
import type { ExpData, ExpRange, ExpState, FileOutcome } from "./exp-state.js";
import { flatten, isMapping } from "./flatten.js";
import { isNumeric } from "./values.js";

export const FIXED_HEADERS = ["Experiment", "rev", "typ", "Created", "parent", "State", "Executor"];

export interface ExpTableOptions {
  /** "-" for tables, "" for CSV. */
  fill: string;
  /** Significant digits of floats; undefined prints Python's repr. */
  precision?: number;
  /** Created as ISO text (CSV). */
  iso: boolean;
  now: Date;
  sortBy?: string;
  sortOrder?: "asc" | "desc";
}

export interface ExpTable {
  headers: string[];
  rows: string[][];
  /** Which columns hold metrics, params and deps (DVC styles them by group). */
  groups: { metrics: string[]; params: string[]; deps: string[] };
}

/** path → flattened names, in the order first seen. */
type Names = Map<string, Set<string>>;

function addNames(into: Names, files: Record<string, FileOutcome>): void {
  for (const [path, f] of Object.entries(files)) {
    // DVC reads a failed file as {} (a mapping): its path still takes its place in the column order
    const data = f.data === undefined ? {} : f.data;
    if (!isMapping(data)) continue;
    const set = into.get(path) ?? into.set(path, new Set()).get(path)!;
    for (const k of flatOf(data).keys()) set.add(k);
  }
}

function collectNames(states: readonly ExpState[], n: { metrics: Names; params: Names; deps: Set<string> }): void {
  for (const s of states) {
    if (s.data) {
      addNames(n.metrics, s.data.metrics);
      addNames(n.params, s.data.params);
      for (const d of Object.keys(s.data.deps)) n.deps.add(d);
    }
    for (const child of s.experiments ?? []) collectNames(child.revs, n);
  }
}

/** DVC's _normalize_headers: `name`, or `path:name` when the name is not unique. */
function normalize(names: Names, count: Map<string, number>): Array<[path: string, name: string, header: string]> {
  const out: Array<[string, string, string]> = [];
  for (const [path, set] of names)
    for (const name of set) out.push([path, name, count.get(name) === 1 ? name : `${path}:${name}`]);
  return out;
}

const flatCache = new WeakMap<object, Map<string, unknown>>();

/** flatten(), once per mapping (one file's data is looked up once per column). */
function flatOf(data: Record<string, unknown>): Map<string, unknown> {
  let flat = flatCache.get(data);
  if (flat === undefined) flatCache.set(data, (flat = flatten(data)));
  return flat;
}

/** Value of a flattened name in a file's data (a non-mapping file is one value named after the file). */
function valueIn(path: string, f: FileOutcome, name: string): unknown {
  const data = f.data ?? {};
  return isMapping(data) ? flatOf(data).get(name) : name === path ? data : undefined;
}

export function tabulateExps(states: readonly ExpState[], o: ExpTableOptions): ExpTable {
  const names = { metrics: new Map() as Names, params: new Map() as Names, deps: new Set<string>() };
  collectNames(states, names);
  const merged = new Map([...names.metrics, ...names.params]);
  const count = new Map<string, number>(FIXED_HEADERS.map((h) => [h, 1]));
  for (const set of merged.values()) for (const n of set) count.set(n, (count.get(n) ?? 0) + 1);
  const metricCols = normalize(names.metrics, count);
  const paramCols = normalize(names.params, count);
  const depCols = [...names.deps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const headers = [...FIXED_HEADERS, ...metricCols.map((c) => c[2]), ...paramCols.map((c) => c[2]), ...depCols];
  const index = new Map(headers.map((h, i) => [h, i]));

  // per file: its columns (name, index in the row)
  const byPath = (cols: Array<[string, string, string]>): Map<string, Array<[string, number]>> => {
    const out = new Map<string, Array<[string, number]>>();
    for (const [path, name, header] of cols)
      (out.get(path) ?? out.set(path, []).get(path)!).push([name, index.get(header)!]);
    return out;
  };
  const metricsByPath = byPath(metricCols);
  const paramsByPath = byPath(paramCols);
  const depIndex = depCols.map((d) => [d, index.get(d)!] as const);
  const dataCells = (row: string[], data: ExpData): void => {
    row[3] = createdCell(data.timestamp, { fill: o.fill, iso: o.iso, now: o.now });
    const group = (files: Record<string, FileOutcome>, cols: Map<string, Array<[string, number]>>): void => {
      for (const [path, f] of Object.entries(files)) {
        for (const [name, i] of cols.get(path) ?? []) {
          const v = valueIn(path, f, name);
          row[i] = v === undefined || v === null ? (f.error ? "!" : o.fill) : expCell(v, o.precision);
        }
      }
    };
    group(data.metrics, metricsByPath);
    group(data.params, paramsByPath);
    for (const [d, i] of depIndex) if (data.deps[d]) row[i] = data.deps[d]!.hash ?? o.fill;
  };
  const newRow = (experiment: string, rev: string, typ: string): string[] => {
    const row = headers.map(() => o.fill);
    row[0] = experiment;
    row[1] = rev;
    row[2] = typ;
    row[4] = "";
    return row;
  };

  const rows: string[][] = [];
  for (const b of states) {
    const row = newRow("", b.name ?? (/^[0-9a-f]{40}$/.test(b.rev) ? b.rev.slice(0, 7) : b.rev), "baseline");
    if (b.data) dataCells(row, b.data);
    rows.push(row);
    const exps = o.sortBy ? sortExps(b.experiments ?? [], o.sortBy, o.sortOrder, names) : (b.experiments ?? []);
    exps.forEach((range, i) => {
      const e = range.revs[0];
      if (!e) return;
      const r = newRow(e.name ?? "", e.rev.slice(0, 7), i === exps.length - 1 ? "branch_base" : "branch_commit");
      if (e.data) dataCells(r, e.data);
      rows.push(r);
    });
  }
  return {
    headers,
    rows,
    groups: { metrics: metricCols.map((c) => c[2]), params: paramCols.map((c) => c[2]), deps: depCols },
  };
}

type Kind = "metrics" | "params";

/** DVC's _sort_column: `name`, or `path:name` (the path may itself hold ':'); one match or a usage error. */
export function sortColumn(sortBy: string, names: { metrics: Names; params: Names }): [Kind, string, string] {
  const matches = new Map<string, [Kind, string, string]>();
  const look = (path: string, name: string): void => {
    for (const kind of ["metrics", "params"] as const)
      if (names[kind].get(path)?.has(name)) matches.set(`${kind}\0${path}\0${name}`, [kind, path, name]);
  };
  const parts = sortBy.split(":");
  let bare = sortBy;
  for (let i = 0; i < parts.length; i++) {
    const path = parts.slice(0, i).join(":");
    const name = parts.slice(i).join(":");
    if (path === "") bare = name;
    look(path, name);
  }
  if (matches.size === 0)
    for (const kind of ["metrics", "params"] as const) for (const path of names[kind].keys()) look(path, bare);
  if (matches.size === 1) return [...matches.values()][0]!;
  if (matches.size > 1) {
    const which = [...matches.values()].map(([, p, n]) => `${p}:${n}`).join(", ");
    throw new UsageError(`ambiguous sort column '${sortBy}' matched '${which}'`, {
      hint: "name the file too: --sort-by <file>:<name>",
      details: { sortBy, matches: [...matches.values()].map(([, p, n]) => `${p}:${n}`) },
    });
  }
  throw new UsageError(`unknown sort column '${sortBy}'`, {
    hint: 'pick a metric or param shown by "dvx exp show" (<name> or <file>:<name>)',
    details: { sortBy },
  });
}

/** Python ordering of (value is None, value): missing values last; numbers before strings (Python would fail). */
function compareValues(a: unknown, b: unknown): number {
  const missA = a === undefined || a === null;
  const missB = b === undefined || b === null;
  if (missA || missB) return missA === missB ? 0 : missA ? 1 : -1;
  const num = (v: unknown): number | undefined =>
    isNumeric(v) ? Number(typeof v === "object" ? (v as { value: number }).value : v) : undefined;
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (na !== undefined || nb !== undefined) return na !== undefined ? -1 : 1;
  const sa = expCell(a);
  const sb = expCell(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function sortExps(
  exps: readonly ExpRange[],
  sortBy: string,
  order: "asc" | "desc" | undefined,
  names: { metrics: Names; params: Names },
): ExpRange[] {
  const [kind, path, name] = sortColumn(sortBy, names);
  const key = (r: ExpRange): unknown => {
    const f = r.revs[0]?.data?.[kind][path];
    return f && isMapping(f.data) ? flatOf(f.data).get(name) : undefined;
  };
  const sign = order === "desc" ? -1 : 1;
  return [...exps].sort((a, b) => sign * compareValues(key(a), key(b)));
}
