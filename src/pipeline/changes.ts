// Whether a stage changed, and how, exactly as DVC decides it (docs/formats.md §9.2), from what was observed
// in the workspace: the status entries of `dvx status` (DVC's JSON shape) and the reasons `repro --dry` prints.
// Pure: the caller hashes deps and outputs and reads params files.
import { pyEquals } from "../util/yaml.js";
import type { Stage } from "./types.js";

export type ItemStatus = "deleted" | "modified" | "new" | "not in cache";

/** One dependency or output as observed; `status` null when it matches the lock. */
export interface ObservedItem {
  /** As DVC prints it: repo-relative (or the path as written for external deps). */
  path: string;
  status: ItemStatus | null;
}

/** A params file of the stage: its current values and what the lock recorded (undefined: no record). */
export interface ObservedParams {
  /** Repo-relative path, as DVC prints it. */
  path: string;
  /** Tracked keys, or null for the whole file. */
  keys: string[] | null;
  /** Current values (null when the file is missing). */
  current: Record<string, unknown> | null;
  recorded: Record<string, unknown> | undefined;
}

export interface Observed {
  /** The lock has an entry for the stage. */
  locked: boolean;
  cmdChanged: boolean;
  deps: ObservedItem[];
  params: ObservedParams[];
  outs: ObservedItem[];
}

export type StatusEntry =
  | { "changed deps": Record<string, string | Record<string, string>> }
  | { "changed outs": Record<string, string> }
  | "always changed"
  | "changed command";

/** DVC's is_callback: a command and neither deps nor outs. */
export const isCallback = (s: Stage): boolean => s.deps.length + s.params.length + s.outs.length === 0;

/** Per-key status of one params file (ParamsDependency.workspace_status). */
export function paramsStatus(p: ObservedParams): string | Record<string, string> | null {
  if (p.current === null) return "deleted";
  if (p.recorded === undefined) return "new";
  const names = p.keys ?? [...new Set([...Object.keys(p.current), ...Object.keys(p.recorded)])];
  const out: Record<string, string> = {};
  for (const k of names) {
    if (!(k in p.current)) out[k] = "deleted";
    else if (!(k in p.recorded)) out[k] = "new";
    else if (!pyEquals(p.current[k], p.recorded[k])) out[k] = "modified";
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The status entries of `dvx status` for a stage; empty when it is up to date. */
export function stageStatus(stage: Stage, obs: Observed): StatusEntry[] {
  const entries: StatusEntry[] = [];
  if (!stage.frozen) {
    const deps: Record<string, string | Record<string, string>> = {};
    for (const d of obs.deps) if (d.status) deps[d.path] = d.status;
    for (const p of obs.params) {
      const st = paramsStatus(p);
      if (st) deps[p.path] = st;
    }
    if (Object.keys(deps).length > 0) entries.push({ "changed deps": deps });
  }
  const outs: Record<string, string> = {};
  for (const o of obs.outs) if (o.status) outs[o.path] = o.status;
  if (Object.keys(outs).length > 0) entries.push({ "changed outs": outs });
  if (isCallback(stage) || stage.alwaysChanged) entries.push("always changed");
  if (obs.cmdChanged) entries.push("changed command");
  return entries;
}

const MISSING: ReadonlySet<ItemStatus> = new Set(["deleted", "not in cache"]);

/**
 * Whether `repro` must run (or restore) the stage, with the reasons. With `allowMissing`, outputs that are
 * only missing (deleted / not in cache) do not count, nor do missing deps produced upstream (`produced`).
 */
export function stageChanged(
  stage: Stage,
  obs: Observed,
  opts: { allowMissing?: boolean; produced?: (path: string) => boolean } = {},
): { changed: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (obs.cmdChanged) reasons.push("changed command");
  if (!stage.frozen) {
    if (isCallback(stage)) reasons.push("always changed (no deps and no outs)");
    else if (stage.alwaysChanged) reasons.push("always changed");
    if (!obs.locked && !isCallback(stage)) reasons.push("never run (no entry in dvc.lock)");
    for (const d of obs.deps) {
      if (!d.status) continue;
      if (opts.allowMissing && d.status === "deleted" && opts.produced?.(d.path)) continue;
      if (obs.locked) reasons.push(`dep ${d.status}: ${d.path}`);
    }
    for (const p of obs.params) {
      const st = paramsStatus(p);
      if (!st || !obs.locked) continue;
      if (typeof st === "string") reasons.push(`params ${st}: ${p.path}`);
      else for (const [k, v] of Object.entries(st)) reasons.push(`param ${v}: ${p.path} ${k}`);
    }
  }
  for (const o of obs.outs) {
    if (!o.status || (opts.allowMissing && MISSING.has(o.status))) continue;
    if (obs.locked || o.status !== "deleted") reasons.push(`out ${o.status}: ${o.path}`);
  }
  return { changed: reasons.length > 0, reasons };
}
