// Turns one resolved stage definition (all `${}` already substituted) into the Stage model:
// repo-relative paths through the stage wdir, output flags with DVC's defaults, params forms merged.
import { PipelineSchemaError } from "../errors.js";
import { StagePathError } from "./errors.js";
import { isExternalPath, tryJoinRepo } from "./paths.js";
import { isPlainObject, unwrapFloats } from "./py-str.js";
import type { OutKind, ParamDep, Stage, StageDep, StageOut } from "./types.js";

export const DEFAULT_PARAMS_FILE = "params.yaml";

type Fail = (reason: string) => never;
interface StagePlace {
  file: string;
  name: string;
  wdir: string;
}

/** A path of the stage (relative to its wdir) as a repo-relative path; one leaving the repository is refused. */
function inRepo(at: StagePlace, decl: string, what: "output" | "params file"): string {
  const p = tryJoinRepo(at.wdir, decl);
  if (p === null) throw new StagePathError(at.file, at.name, what, decl);
  return p;
}

export interface StageBuildInput {
  name: string;
  group?: string;
  /** Repo-relative dvc.yaml path. */
  file: string;
  /** Repo-relative resolved wdir. */
  wdir: string;
  def: Record<string, unknown>;
}

export function buildStage({ name, group, file, wdir, def }: StageBuildInput): Stage {
  const fail: Fail = (reason) => {
    throw new PipelineSchemaError(file, `stage '${name}': ${reason}`);
  };
  const at = { file, name, wdir };
  const cmd = def.cmd;
  if (!(typeof cmd === "string" || (Array.isArray(cmd) && cmd.every((c) => typeof c === "string")))) {
    fail("'cmd' must resolve to a string or a list of strings");
  }
  const stage: Stage = {
    name,
    file,
    address: file === "dvc.yaml" ? name : `${file}:${name}`,
    cmd: cmd as string | string[],
    wdir,
    deps: list(def.deps, "deps", fail).map((d) => buildDep(d, wdir, fail)),
    params: buildParams(list(def.params, "params", fail), at, fail),
    outs: (["outs", "metrics", "plots"] as const).flatMap((kind) =>
      list(def[kind], kind, fail).flatMap((item) => buildOuts(item, kind, at, fail)),
    ),
    frozen: def.frozen === true,
    alwaysChanged: def.always_changed === true,
  };
  if (group !== undefined) stage.group = group;
  if (typeof def.desc === "string") stage.desc = def.desc;
  if (def.meta !== undefined) stage.meta = unwrapFloats(def.meta);
  return stage;
}

function list(v: unknown, key: string, fail: Fail): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(`'${key}' must resolve to a list`);
  return v as unknown[];
}

function buildDep(decl: unknown, wdir: string, fail: Fail): StageDep {
  if (typeof decl !== "string" || decl === "")
    return fail(`each dep must resolve to a non-empty path, got ${JSON.stringify(decl)}`);
  if (isExternalPath(decl)) return { path: decl, decl, external: true };
  const inside = tryJoinRepo(wdir, decl);
  if (inside !== null) return { path: inside, decl };
  // A relative path that leaves the repository: DVC treats it as an external dependency.
  return { path: decl, decl, external: true };
}

function buildOuts(item: unknown, kind: OutKind, at: StagePlace, fail: Fail): StageOut[] {
  if (typeof item === "string") return [makeOut(item, {}, kind, at)];
  if (!isPlainObject(item)) return fail(`'${kind}' items must be paths or {path: flags}`);
  return Object.entries(item).map(([decl, flags]) => {
    let merged: Record<string, unknown> = {};
    for (const f of Array.isArray(flags) ? flags : [flags]) {
      if (isPlainObject(f)) merged = { ...merged, ...f };
      else if (f !== null && f !== undefined) fail(`flags of '${decl}' must be a mapping`);
    }
    return makeOut(decl, merged, kind, at);
  });
}

function makeOut(decl: string, flags: Record<string, unknown>, kind: OutKind, at: StagePlace): StageOut {
  const { cache, persist, push, remote, ...extra } = flags;
  const out: StageOut = {
    path: inRepo(at, decl, "output"),
    decl,
    cache: cache !== false,
    persist: persist === true,
    push: push !== false,
    kind,
    extra: unwrapFloats(extra) as Record<string, unknown>,
  };
  if (typeof remote === "string") out.remote = remote;
  return out;
}

/** DVC's _merge_params: bare keys → params.yaml in wdir; `{file: [keys]}`; `{file: null|[]}` whole file wins. */
function buildParams(items: unknown[], at: StagePlace, fail: Fail): ParamDep[] {
  const whole = new Set<string>();
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    for (const [f, keys] of Object.entries(item)) {
      if (keys === null || keys === undefined || (Array.isArray(keys) && keys.length === 0)) whole.add(f);
    }
  }
  const merged = new Map<string, string[] | null>();
  const add = (f: string, keys: string[] | null): void => {
    if (whole.has(f)) return void merged.set(f, null);
    const have = merged.get(f) ?? [];
    merged.set(f, [...have, ...(keys ?? []).filter((k) => !have.includes(k))]);
  };
  for (const item of items) {
    if (typeof item === "string") add(DEFAULT_PARAMS_FILE, [item]);
    else if (isPlainObject(item)) {
      for (const [f, keys] of Object.entries(item)) {
        if (whole.has(f)) add(f, null);
        else if (Array.isArray(keys) && keys.every((k) => typeof k === "string")) add(f, keys as string[]);
        else fail(`params of '${f}' must be a list of keys or empty`);
      }
    } else {
      fail(`params items must be keys or {file: [keys]}, got ${JSON.stringify(item)}`);
    }
  }
  return [...merged].map(([f, keys]) => ({ file: inRepo(at, f, "params file"), decl: f, keys }));
}
