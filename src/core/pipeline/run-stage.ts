// Reproduces one stage as DVC's Stage.reproduce() does (docs/formats.md §9.2–§9.3, §9.6): skip it when nothing
// changed; otherwise check its outputs out when the lock (or the run cache) already records this exact run
// and every object is in the cache; otherwise delete its non-persistent outputs, run its command lines, save
// the outputs and write its dvc.lock entry (and a run-cache entry).
import { lstatSync, rmSync, type Stats } from "node:fs";
import { lstat, rm } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { errCode } from "../../fsx/atomic.js";
import { InterruptedError } from "../../errors.js";
import { stageChanged } from "../../pipeline/changes.js";
import { MissingDependencyError } from "../../pipeline/errors.js";
import { lockEntry, runCacheEligible } from "../../pipeline/lock-entry.js";
import type { LockItem, Stage } from "../../pipeline/types.js";
import type { Output } from "../../tracking/output.js";
import { missingFromCache } from "../data/output-state.js";
import { statPath } from "../data/workspace-hash.js";
import { checkoutOutputs } from "../data/checkout-outputs.js";
import { StageFailedError } from "./errors.js";
import { observeDeps, observeStage, stageOutput, type ParamsReader, type StageObservation } from "./observe.js";
import type { Project } from "./project.js";
import { loadRunCacheEntry } from "./run-cache.js";
import { depItems, paramItems, recordStage, type RecordContext } from "./record.js";
import { runCommand, type OutputMode } from "./spawn.js";
import type { MissingPuller } from "./pull-missing.js";

export interface ReproFlags {
  force: boolean;
  dry: boolean;
  noCommit: boolean;
  noRunCache: boolean;
  allowMissing: boolean;
}

export interface ReproContext extends RecordContext {
  project: Project;
  params: ParamsReader;
  flags: ReproFlags;
  /** Where a stage's command output goes. */
  output: (stage: Stage) => OutputMode;
  /** Progress lines ("Running stage 'x':", "> cmd"). */
  say: (address: string, line: string) => void;
  signal?: AbortSignal;
  /** Repo-relative paths some node of the plan produces (for --allow-missing). */
  produced: (path: string) => boolean;
  /** With --pull: fetches what the cache lacks from the default remote. */
  puller?: MissingPuller;
  /** The run cache has entries (checked once: no per-stage lookups in a project that never used it). */
  runCacheExists: boolean;
}

export type StageAction = "unchanged" | "ran" | "restored" | "checked out" | "would run" | "would restore" | "frozen";

export interface StageOutcome {
  stage: string;
  action: StageAction;
  reasons: string[];
  durationMs: number;
}

const cmdLines = (cmd: string | string[]): string[] => (Array.isArray(cmd) ? cmd : [cmd]);

/**
 * Output records (as checkout knows them) of a lock entry's outs; undefined when one is not in the cache
 * (with --pull, after trying to fetch it).
 */
async function cachedOutputs(ctx: ReproContext, stage: Stage, outs: LockItem[]): Promise<Output[] | undefined> {
  const result: Output[] = [];
  for (const out of stage.outs) {
    const item = outs.find((i) => i.path === out.decl);
    if (!item?.md5) return undefined;
    result.push({ ...stageOutput(stage, out, item), cache: true });
  }
  const complete = async (): Promise<boolean> => {
    for (const o of result) if ((await missingFromCache(ctx.repo, o.hash!)).missing.length > 0) return false;
    return true;
  };
  if (await complete()) return result;
  if (!ctx.puller) return undefined;
  await ctx.puller.fetch(result);
  return (await complete()) ? result : undefined;
}

/** --pull: dependencies missing from the workspace that another stage's lock entry records are pulled. */
async function pullMissingDeps(ctx: ReproContext, obs: StageObservation): Promise<void> {
  if (!ctx.puller) return;
  const wanted: Output[] = [];
  for (const d of obs.deps) {
    if (d.current) continue;
    const producer = ctx.project.stages.get(ctx.project.graph.producers.get(d.path) ?? "");
    const out = producer?.outs.find((o) => o.path === d.path);
    const item = ctx.project.locks.get(producer?.file ?? "")?.stages.get(producer?.name ?? "")?.outs;
    const lock = item?.find((i) => i.path === out?.decl);
    if (producer && out && lock?.md5) wanted.push({ ...stageOutput(producer, out, lock), cache: true });
  }
  if (wanted.length === 0) return;
  await ctx.puller.fetch(wanted);
  await checkoutOutputs(ctx.repo, wanted, {});
}

const parseItems = (v: unknown): LockItem[] =>
  ((v as Array<Record<string, unknown>> | undefined) ?? []).map((i) => ({
    path: String(i.path),
    ...(i.hash === "md5" ? { hash: "md5" as const } : {}),
    ...(typeof i.md5 === "string" ? { md5: i.md5 } : {}),
    ...(typeof i.size === "number" ? { size: i.size } : {}),
    ...(typeof i.nfiles === "number" ? { nfiles: i.nfiles } : {}),
    ...(i.isexec === true ? { isexec: true } : {}),
    extra: {},
  }));

function lstatOrNull(abs: string): Stats | null {
  try {
    return lstatSync(abs);
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return null;
    throw err;
  }
}

/** Deletes the outputs a stage re-creates; persistent ones stay (DVC unprotects them). */
async function removeOutputs(ctx: ReproContext, stage: Stage): Promise<void> {
  ctx.repo.hashMemo?.clear(); // the workspace is about to change: hashes taken so far may no longer hold
  for (const out of stage.outs) {
    const abs = join(ctx.repo.root, out.path);
    if (!out.persist) {
      // a missing output or a single file: synchronous calls (a thread-pool round trip costs more than either)
      const st = lstatOrNull(abs);
      if (st?.isDirectory()) await rm(abs, { recursive: true, force: true });
      else if (st) rmSync(abs, { force: true });
      continue;
    }
    const st = await lstat(abs).catch(() => null);
    if (st?.isSymbolicLink() || (st?.isFile() && st.nlink > 1)) {
      // a link into the cache: give the command a copy it may change
      const { copyFile, rename } = await import("node:fs/promises");
      const tmp = `${abs}.dvx-unprotect`;
      await copyFile(abs, tmp);
      await rename(tmp, abs);
    }
  }
}

/** DVC's stage.addressing: the dvc.yaml path relative to the current directory, "name" alone for ./dvc.yaml. */
export function cwdAddress(root: string, cwd: string, stage: Stage): string {
  const rel = relative(cwd, join(root, stage.file)).split(sep).join("/");
  return rel === "dvc.yaml" ? stage.name : `${rel}:${stage.name}`;
}

async function runCommands(ctx: ReproContext, stage: Stage): Promise<void> {
  const env = {
    ...ctx.repo.env,
    DVC_ROOT: ctx.repo.env.DVC_ROOT ?? ctx.repo.root,
    DVC_STAGE: cwdAddress(ctx.repo.root, ctx.repo.cwd, stage),
  };
  ctx.say(stage.address, `Running stage '${stage.address}':`);
  for (const line of cmdLines(stage.cmd)) {
    if (ctx.signal?.aborted) throw new InterruptedError("dvx repro");
    ctx.say(stage.address, `> ${line}`);
    const res = await runCommand(line, {
      cwd: join(ctx.repo.root, stage.wdir),
      env,
      output: ctx.output(stage),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (ctx.signal?.aborted) throw new InterruptedError("dvx repro");
    if (res.code !== 0) throw new StageFailedError(stage.address, res.code, res.signal);
  }
}

/** A dependency unchanged for this long is hashed while the command runs: a write during the run shows in its stat. */
const QUIET_MS = 100;

const sameStat = (a: Stats, b: Stats | null): boolean =>
  b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

function statOrNull(root: string, rel: string): Stats | null {
  try {
    return statPath(root, rel);
  } catch {
    return null; // e.g. a link out of the repository: the usual path reports it
  }
}

/**
 * The stats of the stage's dependencies when they may be hashed while its command runs, instead of before: a
 * stage that runs whatever they hash to (no dvc.lock entry, no run-cache lookup, not --dry), whose deps are all
 * workspace files left alone for QUIET_MS. After the run a changed stat means hashing them again. Undefined
 * otherwise. The hashing (about 2 ms per MiB) then overlaps the command on another core.
 */
function quietDeps(
  ctx: ReproContext,
  stage: Stage,
  entry: unknown,
  runCacheWanted: boolean,
): Map<string, Stats> | undefined {
  if (entry !== undefined || stage.frozen || ctx.flags.dry || runCacheWanted || stage.deps.length === 0)
    return undefined;
  const before = Date.now() - QUIET_MS;
  const stats = new Map<string, Stats>();
  for (const d of stage.deps) {
    const st = d.external ? null : statOrNull(ctx.repo.root, d.path);
    if (!st?.isFile() || st.mtimeMs > before || st.ctimeMs > before) return undefined;
    stats.set(d.path, st);
  }
  return stats;
}

/** Runs the commands while hashing the (quiet) dependencies; hashes them again if the run touched one. */
async function runHashingDeps(
  ctx: ReproContext,
  stage: Stage,
  quiet: Map<string, Stats>,
): Promise<StageObservation["deps"]> {
  const running = runCommands(ctx, stage); // spawns the first command line before anything below runs
  const hashing = observeDeps(ctx.repo, stage, undefined);
  hashing.catch(() => undefined); // the command's failure wins; a file that changed while read is hashed again
  await running;
  const deps = await hashing.catch(() => null);
  const touched = [...quiet].some(([rel, st]) => !sameStat(st, statOrNull(ctx.repo.root, rel)));
  if (deps !== null && !touched) return deps;
  ctx.repo.hashMemo?.clear();
  return observeDeps(ctx.repo, stage, undefined);
}

export async function reproStage(ctx: ReproContext, stage: Stage, upstreamWillRun: string[]): Promise<StageOutcome> {
  const started = Date.now();
  const done = (action: StageAction, reasons: string[]): StageOutcome => ({
    stage: stage.address,
    action,
    reasons,
    durationMs: Date.now() - started,
  });
  const entry = ctx.project.locks.get(stage.file)?.stages.get(stage.name);
  const runCacheUsable = ctx.runCacheExists || ctx.puller !== undefined;
  const runCacheWanted = !ctx.flags.noRunCache && runCacheUsable && runCacheEligible(stage);
  const quiet = quietDeps(ctx, stage, entry, runCacheWanted);
  const obs = await observeStage(ctx.repo, stage, entry, ctx.params, { deps: !stage.frozen && !quiet });
  const decision = stageChanged(stage, obs, { allowMissing: ctx.flags.allowMissing, produced: ctx.produced });
  if (ctx.flags.dry && !decision.changed && upstreamWillRun.length > 0) {
    return done("would run", [
      `runs if '${upstreamWillRun.join("', '")}' change${upstreamWillRun.length > 1 ? "" : "s"} its outputs`,
    ]);
  }
  if (!ctx.flags.force && !decision.changed) {
    if (!ctx.flags.dry) ctx.say(stage.address, `Stage '${stage.address}' didn't change, skipping`);
    return done("unchanged", []);
  }
  const reasons = ctx.flags.force ? ["forced", ...decision.reasons] : decision.reasons;
  if (stage.frozen) return done("frozen", reasons);

  if (!ctx.flags.force) {
    // the lock already records this run: only outputs are missing, and the cache has them
    const depsSame = obs.deps.every((d) => d.status === null) && obs.params.every((p) => p.recorded && p.current);
    if (entry && !obs.cmdChanged && depsSame && decision.reasons.every((r) => r.startsWith("out "))) {
      const outs = await cachedOutputs(ctx, stage, entry.outs);
      if (outs) {
        if (ctx.flags.dry) return done("would restore", [...reasons, "outputs are in the cache"]);
        ctx.say(stage.address, `Stage '${stage.address}' is cached - skipping run, checking out outputs`);
        await removeOutputs(ctx, stage);
        await checkoutOutputs(ctx.repo, outs, { force: true });
        await recordStage(ctx, stage, obs);
        return done("checked out", reasons);
      }
    }
    if (runCacheWanted && obs.deps.every((d) => d.current)) {
      const probe = lockEntry(
        stage.cmd,
        await depItems(ctx.repo, stage, obs),
        paramItems(stage, obs),
        stage.outs.map((o) => ({ path: o.decl, md5: "", size: 0 })),
      );
      const cached = await loadRunCacheEntry(ctx.repo, probe);
      const outs = cached ? await cachedOutputs(ctx, stage, parseItems(cached.outs)) : undefined;
      if (outs) {
        if (ctx.flags.dry) return done("would restore", [...reasons, "this run is in the run cache"]);
        ctx.say(stage.address, `Stage '${stage.address}' is cached - skipping run, checking out outputs`);
        await removeOutputs(ctx, stage);
        await checkoutOutputs(ctx.repo, outs, { force: true });
        await recordStage(ctx, stage, obs);
        return done("restored", reasons);
      }
    }
  }
  if (ctx.flags.dry) return done("would run", reasons);
  if (obs.deps.some((d) => !d.current) && ctx.puller) {
    await pullMissingDeps(ctx, obs);
    ctx.repo.hashMemo?.clear();
    return reproStage(ctx, stage, upstreamWillRun);
  }
  for (const d of obs.deps) if (!d.current) throw new MissingDependencyError(stage.address, d.path);
  await removeOutputs(ctx, stage);
  if (quiet) {
    // a stage without a lock entry runs whatever its deps hash to: they are hashed while it runs
    await recordStage(ctx, stage, { ...obs, deps: await runHashingDeps(ctx, stage, quiet) });
    return done("ran", reasons);
  }
  await runCommands(ctx, stage);
  await recordStage(ctx, stage, obs);
  return done("ran", reasons);
}
