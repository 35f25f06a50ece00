// DVC's experiments/show.py `tabulate`: one row per baseline and per experiment, columns Experiment, rev, typ,
// Created, parent, State, Executor, then groups of columns: every metric and param (per file, in the order first
// seen; a name that two files share, or that clashes with a fixed column, is written `file:name`), each
// dependency's hash (sorted), then any group the caller adds. Experiments can be sorted by one metric or param
// (--sort-by). Pure: cells are strings.
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
  /** Column groups after DVC's metrics, params and deps. */
  groups?: readonly ColumnGroup[];
}

export interface ExpTable {
  headers: string[];
  rows: string[][];
  /** The headers of each column group by its name ("metrics", "params", "deps", then any added). */
  groups: Record<string, string[]>;
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

interface AllNames {
  metrics: Names;
  params: Names;
  deps: Set<string>;
}

function namesOf(states: readonly ExpState[]): AllNames {
  const names: AllNames = { metrics: new Map(), params: new Map(), deps: new Set() };
  collectNames(states, names);
  return names;
}

function collectNames(states: readonly ExpState[], n: AllNames): void {
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

/**
 * A group of columns after the fixed ones. DVC's are metrics, params and deps (dataGroups); a caller appends its
 * own through ExpTableOptions.groups (e.g. run records), with headers that do not clash with the others.
 */
export interface ColumnGroup {
  name: string;
  headers: string[];
  /** Writes one revision's cells: `put(i, text)` for the group's i-th header (cells not put keep the fill). */
  fill(data: ExpData, put: (i: number, cell: string) => void): void;
}

type Col = [path: string, name: string, header: string];

/** Metrics or params: per file, its columns; a value missing from a readable file is the fill, "!" if unreadable. */
function fileGroup(name: "metrics" | "params", cols: readonly Col[], o: ExpTableOptions): ColumnGroup {
  const byPath = new Map<string, Array<[string, number]>>();
  cols.forEach(([path, n], i) => (byPath.get(path) ?? byPath.set(path, []).get(path)!).push([n, i]));
  return {
    name,
    headers: cols.map((c) => c[2]),
    fill(data, put) {
      for (const [path, f] of Object.entries(data[name])) {
        for (const [n, i] of byPath.get(path) ?? []) {
          const v = valueIn(path, f, n);
          put(i, v === undefined || v === null ? (f.error ? "!" : o.fill) : expCell(v, o.precision));
        }
      }
    },
  };
}

/** DVC's metrics, params (names made unique against each other and the fixed headers) and deps (sorted) columns. */
export function dataGroups(states: readonly ExpState[], o: ExpTableOptions): ColumnGroup[] {
  const names = namesOf(states);
  const merged = new Map([...names.metrics, ...names.params]);
  const count = new Map<string, number>(FIXED_HEADERS.map((h) => [h, 1]));
  for (const set of merged.values()) for (const n of set) count.set(n, (count.get(n) ?? 0) + 1);
  const deps = [...names.deps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    fileGroup("metrics", normalize(names.metrics, count), o),
    fileGroup("params", normalize(names.params, count), o),
    {
      name: "deps",
      headers: deps,
      fill(data, put) {
        deps.forEach((d, i) => data.deps[d] && put(i, data.deps[d]!.hash ?? o.fill));
      },
    },
  ];
}

export function tabulateExps(states: readonly ExpState[], o: ExpTableOptions): ExpTable {
  const groups = [...dataGroups(states, o), ...(o.groups ?? [])];
  const sortKey = o.sortBy === undefined ? undefined : sortColumn(o.sortBy, namesOf(states));
  const headers = [...FIXED_HEADERS];
  const starts = groups.map((g) => headers.push(...g.headers) - g.headers.length);
  const dataCells = (row: string[], data: ExpData): void => {
    row[3] = createdCell(data.timestamp, { fill: o.fill, iso: o.iso, now: o.now });
    groups.forEach((g, k) => g.fill(data, (i, cell) => (row[starts[k]! + i] = cell)));
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
    const exps = sortKey ? sortExps(b.experiments ?? [], sortKey, o.sortOrder) : (b.experiments ?? []);
    exps.forEach((range, i) => {
      const e = range.revs[0];
      if (!e) return;
      const r = newRow(e.name ?? "", e.rev.slice(0, 7), i === exps.length - 1 ? "branch_base" : "branch_commit");
      if (range.executor) {
        // DVC's _exp_range_rows: "Queued", "Running", "Failed"; the executor's name ("dvc-task" → "Dvc-task")
        r[5] = capitalize(range.executor.state);
        if (range.executor.name) r[6] = capitalize(range.executor.name);
      }
      if (e.data) dataCells(r, e.data);
      rows.push(r);
    });
  }
  return { headers, rows, groups: Object.fromEntries(groups.map((g) => [g.name, g.headers])) };
}

/** Python's str.capitalize(): the first character upper case, the rest lower case. */
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

type Kind = "metrics" | "params";
type SortKey = [Kind, string, string];

/** DVC's _sort_column: `name`, or `path:name` (the path may itself hold ':'); one match or a usage error. */
export function sortColumn(sortBy: string, names: { metrics: Names; params: Names }): SortKey {
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

function sortExps(exps: readonly ExpRange[], [kind, path, name]: SortKey, order?: "asc" | "desc"): ExpRange[] {
  const key = (r: ExpRange): unknown => {
    const f = r.revs[0]?.data?.[kind][path];
    return f && isMapping(f.data) ? flatOf(f.data).get(name) : undefined;
  };
  const sign = order === "desc" ? -1 : 1;
  return [...exps].sort((a, b) => sign * compareValues(key(a), key(b)));
}
