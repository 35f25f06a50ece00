// dvx repro: run the stages whose inputs changed, in dependency order (docs/formats.md §9.2–§9.3), recording
// each in dvc.lock as it finishes; restore from the run cache what was run before; run independent stages in
// parallel with -j. Everything is validated before anything runs.
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { AppError, BadTargetError, InterruptedError } from "../../errors.js";
import { toPosix } from "../../fsx/paths.js";
import { isProduced, planSteps } from "../../pipeline/graph.js";
import { MissingDependencyError, ParamsMissingError } from "../../pipeline/errors.js";
import { applyGitFollowups, type GitFollowups } from "../git-followups.js";
import { withLock } from "../lock.js";
import { reproDataSource } from "../pipeline/data-source.js";
import { StageFailedError } from "../pipeline/errors.js";
import { LockWriter } from "../pipeline/lock-writer.js";
import { paramAt, ParamsReader } from "../pipeline/observe.js";
import { loadProject, type Project } from "../pipeline/project.js";
import { reproStage, type ReproContext, type ReproFlags, type StageOutcome } from "../pipeline/run-stage.js";
import { runPlan } from "../pipeline/scheduler.js";
import type { OutputMode } from "../pipeline/spawn.js";
import { resolveNodes } from "../pipeline/targets.js";
import { runsDir } from "../pipeline/run-cache.js";
import type { Repo } from "../repo.js";
import type { LockEntryData } from "../../pipeline/lock-entry.js";
import type { Stage } from "../../pipeline/types.js";
import { limiter } from "../../util/pool.js";

export interface ReproOptions extends Partial<ReproFlags> {
  cwd: string;
  targets: string[];
  /** Settled before the first stage starts (the run record's git state, read while the project loads). */
  ready?: Promise<unknown>;
  /** -s: only the targets, not what they depend on. */
  single?: boolean;
  downstream?: boolean;
  recursive?: boolean;
  /** -P: every pipeline of the project. */
  allPipelines?: boolean;
  keepGoing?: boolean;
  /** Download missing dependencies and outputs from the default remote first. */
  pull?: boolean;
  jobs?: number;
  /** -i: asked before each stage runs; false stops the run. */
  confirm?: (question: string) => Promise<boolean>;
  output: (stageAddress: string) => OutputMode;
  say: (stageAddress: string, line: string) => void;
  signal?: AbortSignal;
  /** Told what the run plans and records (experiments hash the recorded entries, run records keep them). */
  observer?: ReproObserver;
  /** Leave git alone: no autostage, no "git add" hint (experiments snapshot the workspace themselves). */
  noGitFollowups?: boolean;
}

export interface ReproObserver {
  /** The project as loaded and the plan's node ids, before anything runs. */
  plan?(project: Project, steps: string[]): void;
  /** A stage's dvc.lock entry, as written (after it ran, or was restored or checked out). */
  recorded?(stage: Stage, entry: LockEntryData): void;
}

export interface ReproResult extends GitFollowups {
  stages: StageOutcome[];
  /** Stages that failed: the error's code, message, hint and exit code; the command's own exit status (null: killed
   * by `signal`); how long the stage ran. */
  failed: Array<{
    stage: string;
    code: string;
    message: string;
    hint?: string;
    exitCode: number;
    exitStatus?: number | null;
    signal?: string;
    durationMs: number;
  }>;
  notRun: string[];
  /** Stopped by an interrupt (SIGINT/SIGTERM): what had not started was not run, even if nothing failed. */
  interrupted: boolean;
  dry: boolean;
}

function pickSteps(repo: Repo, project: Project, opts: ReproOptions): string[] {
  const graph = project.graph;
  let targets: string[];
  if (opts.allPipelines) targets = graph.nodes.map((n) => n.id);
  else if (opts.targets.length > 0) {
    targets = resolveNodes(repo, project, opts.cwd, opts.targets, { recursive: opts.recursive === true });
  } else {
    // DVC's default target: the dvc.yaml of the current directory (one without stages has nothing to do)
    if (!existsSync(join(opts.cwd, "dvc.yaml"))) {
      throw new BadTargetError(
        "dvc.yaml",
        "there is no dvc.yaml in the current directory",
        'give stage names, or use "-P" for every pipeline',
      );
    }
    const file = toPosix(relative(repo.root, resolve(opts.cwd, "dvc.yaml")));
    const empty = (project.pipelines.get(file)?.stages.length ?? 0) === 0;
    targets = empty ? [] : resolveNodes(repo, project, opts.cwd, ["dvc.yaml"]);
  }
  const frozen = (id: string): boolean => project.stages.get(id)?.frozen === true;
  return planSteps(graph, targets, {
    single: opts.single === true,
    downstream: opts.downstream === true,
    stopAt: frozen,
  });
}

const URL_DEP = /^[A-Za-z][\w+.-]*:\/\//;

/** Everything a stage needs that is neither in the workspace nor produced by the pipeline is an error now. */
async function validate(repo: Repo, project: Project, steps: string[], params: ParamsReader, allowMissing: boolean) {
  const produced = (p: string): boolean => isProduced(project.graph, p);
  for (const id of steps) {
    const stage = project.stages.get(id);
    if (!stage || stage.frozen) continue;
    for (const dep of stage.deps) {
      if (produced(dep.path) || allowMissing || URL_DEP.test(dep.path)) continue;
      // a local dep outside the repository (`../shared/x`, `/data/x`) must exist too
      const abs = !dep.external ? join(repo.root, dep.path) : resolve(repo.root, stage.wdir, dep.decl);
      if (!existsSync(abs)) throw new MissingDependencyError(stage.address, dep.path);
    }
    for (const p of stage.params) {
      if (produced(p.file)) continue;
      const data = await params.read(p.file);
      if (data === null) throw new ParamsMissingError(stage.address, p.file, []);
      const missing = (p.keys ?? []).filter((k) => paramAt(data, k) === undefined);
      if (missing.length > 0) throw new ParamsMissingError(stage.address, p.file, missing);
    }
  }
  return produced;
}

/** repro for a caller that already holds the repository lock (experiments). */
export async function reproLocked(repo: Repo, opts: ReproOptions): Promise<ReproResult> {
  // a .dvc source and the stages using it see the same unchanged data: hash it once (cleared on every write)
  repo.hashMemo = new Map();
  try {
    return await reproPlanned(repo, opts);
  } finally {
    delete repo.hashMemo;
  }
}

async function reproPlanned(repo: Repo, opts: ReproOptions): Promise<ReproResult> {
  const project = await loadProject(repo);
  const steps = pickSteps(repo, project, opts);
  const params = new ParamsReader(repo.root);
  const flags: ReproFlags = {
    force: opts.force === true,
    dry: opts.dry === true,
    noCommit: opts.noCommit === true,
    noRunCache: opts.noRunCache === true,
    allowMissing: opts.allowMissing === true,
  };
  const produced = await validate(repo, project, steps, params, flags.allowMissing);
  opts.observer?.plan?.(project, steps);
  const serial = limiter(1);
  const recorded = opts.observer?.recorded?.bind(opts.observer);
  const locks = new LockWriter(repo, project, { order: steps, ...(recorded ? { onWritten: recorded } : {}) });
  const ctx: ReproContext = {
    repo,
    project,
    params,
    locks,
    flags,
    noCommit: flags.noCommit,
    runCacheExists: existsSync(runsDir(repo)),
    output: (s) => opts.output(s.address),
    say: opts.say,
    serial,
    touched: new Set(),
    produced,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  if (opts.pull && !flags.dry) {
    const { MissingPuller } = await import("../pipeline/pull-missing.js");
    ctx.puller = new MissingPuller(repo);
    if (!flags.noRunCache) {
      await ctx.puller.runCache().catch((err: unknown) => {
        if (!(err instanceof AppError)) throw err;
        opts.say("", `warning: failed to pull the run cache: ${err.message}`);
      });
    }
  }
  const pointers = new Map(project.pointers.map((p) => [p.file, p] as const));
  await opts.ready?.catch(() => undefined);
  const plan = await runPlan(
    project.graph,
    steps,
    {
      jobs: Math.max(1, opts.jobs ?? 1),
      keepGoing: opts.keepGoing === true,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    async (id, upstream) => {
      if (opts.signal?.aborted) throw new InterruptedError("dvx repro");
      const rec = pointers.get(id);
      if (rec) return reproDataSource(ctx, rec);
      const stage = project.stages.get(id)!;
      if (opts.confirm && !flags.dry && !(await opts.confirm(`Going to reproduce stage '${id}'. Continue?`))) {
        throw new InterruptedError("dvx repro");
      }
      const willRun = upstream.filter((u) => u.action === "would run").map((u) => u.stage);
      return reproStage(ctx, stage, willRun);
    },
  );
  await ctx.puller?.close();
  await repo.state().save();
  const followups = opts.noGitFollowups
    ? { gitAdd: [], staged: false }
    : await applyGitFollowups(repo, [...locks.written, ...ctx.touched]);
  const failed = plan.failures.map(({ stage, error, durationMs }) => {
    if (!(error instanceof AppError)) throw error;
    return {
      stage,
      code: error.code,
      message: error.message,
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
      exitCode: error.exitCode,
      ...(error instanceof StageFailedError ? { exitStatus: error.exitStatus } : {}),
      ...(error instanceof StageFailedError && error.killedBy ? { signal: error.killedBy } : {}),
      durationMs,
    };
  });
  const interrupted = opts.signal?.aborted === true;
  return { stages: plan.outcomes, failed, notRun: plan.notRun, interrupted, dry: flags.dry, ...followups };
}

export async function reproOp(repo: Repo, opts: ReproOptions): Promise<ReproResult> {
  if (opts.dry) return reproLocked(repo, opts);
  return withLock(repo, "dvx repro", () => reproLocked(repo, opts), opts.signal);
}
