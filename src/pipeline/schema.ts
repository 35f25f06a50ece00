// Validates the raw (not yet interpolated) dvc.yaml against DVC's schema (dvc/schema.py):
// unknown keys and wrong types become PipelineSchemaError naming the stage and the key.
import { PipelineSchemaError } from "../errors.js";
import { isPlainObject } from "./py-str.js";

export type RawStage = Record<string, unknown>;

const TOP_KEYS = new Set(["stages", "vars", "params", "metrics", "plots", "artifacts", "datasets"]);
const OUT_FLAGS: Record<string, Check> = {
  cache: isBool,
  persist: isBool,
  push: isBool,
  checkpoint: isBool,
  remote: isStr,
  desc: isStr,
  type: isStr,
  labels: isStrList,
  meta: () => true,
};
const PLOT_PROPS: Record<string, Check> = {
  ...OUT_FLAGS,
  template: isStr,
  x: isStr,
  y: isStr,
  x_label: isStr,
  y_label: isStr,
  title: isStr,
  header: isBool,
};
const STAGE_KEYS: Record<string, Check> = {
  matrix: (v) =>
    isPlainObject(v) && Object.values(v).every((x) => typeof x === "string" || Array.isArray(x) || isPlainObject(x)),
  cmd: (v) => typeof v === "string" || (Array.isArray(v) && v.every(isStr)),
  wdir: isStr,
  deps: isStrList,
  params: (v) => Array.isArray(v) && v.every((p) => typeof p === "string" || isPlainObject(p)),
  vars: isVarsList,
  frozen: isBool,
  meta: () => true,
  desc: isStr,
  always_changed: isBool,
  outs: () => true, // checked per item below
  metrics: () => true,
  plots: () => true,
};

type Check = (v: unknown) => boolean;

/** What each stage key takes, for the hint of a wrong value. */
const STAGE_KEY_FORMS: Record<string, string> = {
  matrix: "a mapping of names to lists (or ${} references)",
  cmd: "a command string or a list of command strings",
  wdir: "a directory path, relative to the dvc.yaml",
  deps: "a list of paths",
  params: "a list of keys of params.yaml, or of {file: [keys]} mappings",
  vars: "a list of file names or mappings",
  frozen: "true or false",
  desc: "a string",
  always_changed: "true or false",
};

const keysHint = (what: string, keys: Iterable<string>): string => `${what}: ${[...keys].join(", ")}`;

function isBool(v: unknown): boolean {
  return typeof v === "boolean";
}
function isStr(v: unknown): boolean {
  return typeof v === "string";
}
function isStrList(v: unknown): boolean {
  return Array.isArray(v) && v.every(isStr);
}
function isVarsList(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === "string" || isPlainObject(x));
}

/** Checks the top-level layout; returns the stages mapping (possibly empty). */
export function validateTop(data: unknown, file: string): Record<string, unknown> {
  if (data === null || data === undefined) return {};
  if (!isPlainObject(data)) throw new PipelineSchemaError(file, "the top level must be a mapping");
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.has(key)) {
      throw new PipelineSchemaError(file, `unknown top-level key '${key}'`, keysHint("top-level keys are", TOP_KEYS));
    }
  }
  if (data.vars !== undefined && !isVarsList(data.vars))
    throw new PipelineSchemaError(file, "'vars' must be a list of file names or mappings");
  for (const key of ["params", "metrics"]) {
    if (data[key] !== undefined && !isStrList(data[key]))
      throw new PipelineSchemaError(file, `'${key}' must be a list of paths`);
  }
  if (
    data.plots !== undefined &&
    !(Array.isArray(data.plots) && data.plots.every((p) => typeof p === "string" || isPlainObject(p)))
  ) {
    throw new PipelineSchemaError(file, "'plots' must be a list of paths or plot definitions");
  }
  if (data.artifacts !== undefined && !isPlainObject(data.artifacts))
    throw new PipelineSchemaError(file, "'artifacts' must be a mapping");
  const stages = data.stages ?? {};
  if (!isPlainObject(stages))
    throw new PipelineSchemaError(file, "'stages' must be a mapping of stage names to definitions");
  return stages;
}

/** Validates one entry of `stages` (a plain stage, a foreach/do group or a matrix stage). */
export function validateStageDef(name: string, def: unknown, file: string): RawStage {
  if (!isPlainObject(def)) throw new PipelineSchemaError(file, `stage '${name}' must be a mapping`);
  if ("foreach" in def || "do" in def) {
    for (const key of Object.keys(def)) {
      if (key !== "foreach" && key !== "do")
        throw new PipelineSchemaError(file, `stage '${name}': unknown key '${key}' next to 'foreach'/'do'`);
    }
    if (!("foreach" in def) || !("do" in def))
      throw new PipelineSchemaError(file, `stage '${name}': 'foreach' and 'do' go together`);
    const over = def.foreach;
    if (!(typeof over === "string" || Array.isArray(over) || isPlainObject(over))) {
      throw new PipelineSchemaError(file, `stage '${name}': 'foreach' must be a list, a mapping or a \${} reference`);
    }
    const body = validateStageBody(name, def.do, file);
    if ("matrix" in body) throw new PipelineSchemaError(file, `stage '${name}': 'matrix' cannot be used inside 'do'`);
    return def;
  }
  return validateStageBody(name, def, file);
}

function validateStageBody(name: string, def: unknown, file: string): RawStage {
  if (!isPlainObject(def)) throw new PipelineSchemaError(file, `stage '${name}': 'do' must be a mapping`);
  for (const [key, value] of Object.entries(def)) {
    const check = STAGE_KEYS[key];
    if (!check) {
      const hint = keysHint("stage keys are", [...Object.keys(STAGE_KEYS), "foreach", "do"]);
      throw new PipelineSchemaError(file, `stage '${name}': unknown key '${key}'`, hint);
    }
    if (!check(value)) {
      const form = STAGE_KEY_FORMS[key];
      throw new PipelineSchemaError(
        file,
        `stage '${name}': invalid value for '${key}'`,
        form ? `'${key}' takes ${form}` : undefined,
      );
    }
  }
  if (!("cmd" in def)) {
    throw new PipelineSchemaError(file, `stage '${name}': 'cmd' is required`, "add the command: 'cmd: <command>'");
  }
  for (const kind of ["outs", "metrics", "plots"] as const) {
    if (def[kind] !== undefined) validateOutList(name, kind, def[kind], file);
  }
  return def;
}

function validateOutList(name: string, kind: "outs" | "metrics" | "plots", list: unknown, file: string): void {
  if (!Array.isArray(list)) throw new PipelineSchemaError(file, `stage '${name}': '${kind}' must be a list`);
  const allowed = kind === "plots" ? PLOT_PROPS : OUT_FLAGS;
  for (const item of list) {
    if (typeof item === "string") continue;
    if (!isPlainObject(item))
      throw new PipelineSchemaError(file, `stage '${name}': '${kind}' items must be paths or {path: flags}`);
    for (const [path, flags] of Object.entries(item)) {
      const all = Array.isArray(flags) && kind === "plots" ? flags : [flags];
      for (const f of all) {
        if (f === null) continue;
        if (!isPlainObject(f))
          throw new PipelineSchemaError(file, `stage '${name}': flags of '${path}' must be a mapping`);
        for (const [flag, v] of Object.entries(f)) {
          const check = allowed[flag];
          if (!check) {
            throw new PipelineSchemaError(
              file,
              `stage '${name}': unknown key '${flag}' for '${kind}' entry '${path}'`,
              keysHint(`flags of ${kind} entries are`, Object.keys(allowed)),
            );
          }
          if (!check(v))
            throw new PipelineSchemaError(file, `stage '${name}': invalid value for '${flag}' of '${path}'`);
        }
      }
    }
  }
}
