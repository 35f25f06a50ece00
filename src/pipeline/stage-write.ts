// A stage as DVC writes it into dvc.yaml (docs/formats.md §8.4, DVC's to_pipeline_file): key order desc, cmd,
// wdir, deps, params, outs, metrics, plots, frozen, always_changed, meta (empty and false omitted); deps sorted;
// params keys of params.yaml first, then one {file: keys} per other file by file name (whole file: null);
// outputs sorted by path into outs/metrics/plots, each a bare path or {path: flags}.
import { posix } from "node:path";
import { compareCodePoints as byCodePoint } from "../util/py-json.js";
import { dirOf } from "./paths.js";
import { DEFAULT_PARAMS_FILE } from "./stage-build.js";
import type { OutKind, Stage } from "./types.js";

export interface OutSpec {
  /** As written, relative to the stage's wdir. */
  path: string;
  kind: OutKind;
  cache: boolean;
  persist: boolean;
  push: boolean;
  remote?: string;
  /** desc, type, labels, meta, and (plots) plot properties as written. */
  extra: Record<string, unknown>;
}

export interface StageSpec {
  cmd: string | string[];
  /** Relative to the dvc.yaml's directory; "" or "." for none. */
  wdir: string;
  desc?: string;
  deps: string[];
  params: Array<{ file: string; keys: string[] | null }>;
  outs: OutSpec[];
  frozen: boolean;
  alwaysChanged: boolean;
  meta?: unknown;
}

const ANNOTATIONS = ["desc", "type", "labels", "meta"] as const;

const truthy = (v: unknown): boolean =>
  !(v === undefined || v === null || v === false || v === "" || v === 0) &&
  !(Array.isArray(v) && v.length === 0) &&
  !(typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);

function outFlags(o: OutSpec): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const k of ANNOTATIONS) if (truthy(o.extra[k])) flags[k] = o.extra[k];
  if (!o.cache) flags.cache = false;
  if (o.persist) flags.persist = true;
  if (o.kind === "plots") {
    for (const [k, v] of Object.entries(o.extra)) {
      if (!(ANNOTATIONS as readonly string[]).includes(k) && k !== "checkpoint") flags[k] = v;
    }
  }
  if (o.remote) flags.remote = o.remote;
  if (!o.push) flags.push = false;
  return flags;
}

function paramsList(params: StageSpec["params"]): unknown[] {
  let keys: unknown[] = [];
  for (const p of [...params].sort((a, b) => byCodePoint(a.file, b.file))) {
    const k = [...(p.keys ?? [])].sort(byCodePoint);
    if (k.length > 0 && p.file === DEFAULT_PARAMS_FILE) keys = [...k, ...keys];
    else keys.push({ [p.file]: k.length > 0 ? k : null });
  }
  return keys;
}

/** The mapping DVC writes under `stages.<name>`. */
export function stageDefinition(spec: StageSpec): Record<string, unknown> {
  const buckets: Record<OutKind, unknown[]> = { outs: [], metrics: [], plots: [] };
  for (const o of [...spec.outs].sort((a, b) => byCodePoint(a.path, b.path))) {
    const flags = outFlags(o);
    buckets[o.kind].push(Object.keys(flags).length === 0 ? o.path : { [o.path]: flags });
  }
  const wdir = spec.wdir === "." ? "" : spec.wdir;
  const entries: Array<[string, unknown]> = [
    ["desc", spec.desc],
    ["cmd", spec.cmd],
    ["wdir", wdir],
    ["deps", [...spec.deps].sort(byCodePoint)],
    ["params", paramsList(spec.params)],
    ["outs", buckets.outs],
    ["metrics", buckets.metrics],
    ["plots", buckets.plots],
    ["frozen", spec.frozen],
    ["always_changed", spec.alwaysChanged],
    ["meta", spec.meta],
  ];
  return Object.fromEntries(entries.filter(([, v]) => truthy(v)));
}

/** The spec of a stage loaded from dvc.yaml (for rewriting it, as `freeze` does). */
export function specOfStage(stage: Stage): StageSpec {
  const base = dirOf(stage.file);
  const wdir = base === "" ? stage.wdir : posix.relative(base, stage.wdir);
  const spec: StageSpec = {
    cmd: stage.cmd,
    wdir: wdir === "" ? "" : wdir,
    deps: stage.deps.map((d) => d.decl),
    params: stage.params.map((p) => ({ file: p.decl, keys: p.keys })),
    outs: stage.outs.map((o) => ({
      path: o.decl,
      kind: o.kind,
      cache: o.cache,
      persist: o.persist,
      push: o.push,
      ...(o.remote !== undefined ? { remote: o.remote } : {}),
      extra: o.extra,
    })),
    frozen: stage.frozen,
    alwaysChanged: stage.alwaysChanged,
  };
  if (stage.desc !== undefined) spec.desc = stage.desc;
  if (stage.meta !== undefined) spec.meta = stage.meta;
  return spec;
}

/** DVC's parse_params for `-p`: `key1,key2` (params.yaml), `file:key1,key2`, `file:` (the whole file). */
export function parseParamsArgs(args: string[]): StageSpec["params"] {
  const byFile = new Map<string, string[]>();
  for (const arg of args) {
    const colon = arg.lastIndexOf(":");
    const file = colon > 0 ? arg.slice(0, colon) : DEFAULT_PARAMS_FILE;
    const keys = (colon >= 0 ? arg.slice(colon + 1) : arg).split(",").filter((k) => k !== "");
    const list = byFile.get(file) ?? [];
    for (const k of keys) if (!list.includes(k)) list.push(k);
    byFile.set(file, list);
  }
  return [...byFile].map(([file, keys]) => ({ file, keys: keys.length > 0 ? keys : null }));
}

/** DVC's parse_cmd: one argument as is; several joined by spaces, those with a space (and no `"`) quoted. */
export function joinCommand(args: string[]): string {
  if (args.length < 2) return args.join(" ");
  return args.map((a) => (a === "" ? '""' : a.includes(" ") && !a.includes('"') ? `"${a}"` : a)).join(" ");
}

const PUNCTUATION = "!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~";

/** DVC's is_valid_name: no punctuation other than `_` and `-` (`@` is reserved for generated names). */
export function invalidNameChars(name: string): string[] {
  return [...new Set(Array.from(name).filter((c) => PUNCTUATION.includes(c)))];
}
