// One experiment, from start to ref: prepare → run → collect (docs/formats.md §11.1).
//
// Interface for every executor (the workspace today, a queue worker in its own work tree later):
//
//   runExperiment(repo, spec) → ExperimentResult { name, ref, commit, baseline, expHash, params, repro }
//
//   * `repo` is opened at the work tree the experiment runs in (repo.root); its git work tree holds the refs and
//     objects the result is written to. The caller holds the repository lock of that work tree (withLock).
//   * `spec.baseline` is the commit the experiment is based on (default: HEAD of that work tree); it becomes the
//     commit's parent and names the ref. The work tree should hold that commit's files plus whatever the
//     experiment starts from (a queue copies the queued workspace state in before calling).
//   * prepare: the name is checked (or a random one picked, unique on the baseline) and must not exist unless
//     `force`; the -S overrides are applied to the params files, all-or-nothing.
//   * run: repro (reproLocked) with spec.repro's flags; a failed stage throws ExperimentFailedError (no ref).
//   * collect: exp_hash over the lock entries of the stages that were reproduced, then the work tree (tracked
//     files with their current content, plus the pipeline's own files) is committed with the baseline as parent
//     and the ref is created atomically. HEAD, branches and the index are never changed; the work tree keeps the
//     experiment's changes, as DVC leaves them.
//   * record: the caller then records the run, committed or not (core/runs/exp-record.ts):
//       const start = startRun(repo); …runExperiment…; await recordExperimentRun(repo, { command, start, result })
//     the record becomes a git note on the experiment commit (refs/notes/dvx-runs).
import { InterruptedError } from "../../errors.js";
import { ExperimentFailedError, ExperimentExistsError } from "../../exp/errors.js";
import { expHash } from "../../exp/exp-hash.js";
import { checkExpName, randomExpName } from "../../exp/names.js";
import type { ParamOverride } from "../../exp/override-parse.js";
import { expRefName } from "../../exp/refs.js";
import type { LockEntryData } from "../../pipeline/lock-entry.js";
import type { Stage } from "../../pipeline/types.js";
import { readRefRaw } from "../../git/refs-store.js";
import { reproLocked, type ReproOptions, type ReproResult } from "../ops/repro.js";
import type { Project } from "../pipeline/project.js";
import type { Repo } from "../repo.js";
import { commitExperiment, gitPlace } from "./collect.js";
import { headCommit, listExperiments } from "./experiments.js";
import { planSetParams, writeParamsEdits } from "./set-params.js";
import { stageFiles } from "./stage-files.js";

export interface ExperimentSpec {
  /** Where -S file paths (and repro's default target) are resolved from. */
  cwd: string;
  baseline?: string;
  name?: string;
  /** Replace an experiment of the same name, and run every stage (DVC's exp run -f). */
  force?: boolean;
  message?: string;
  setParams?: readonly ParamOverride[];
  /** repro's options (targets, output, say, signal, flags); cwd, force and the observer are set here. */
  repro: Omit<ReproOptions, "cwd" | "force" | "observer" | "noGitFollowups">;
}

export interface ExperimentResult {
  name: string;
  ref: string;
  commit: string;
  baseline: string;
  expHash: string;
  /** Params files the overrides changed (repo-relative). */
  params: string[];
  repro: ReproResult;
}

export interface PreparedExperiment {
  baseline: string;
  name: string;
  params: string[];
}

/** prepare: baseline, a free (or forced) name, the overrides written. */
export async function prepareExperiment(repo: Repo, spec: ExperimentSpec): Promise<PreparedExperiment> {
  const { gitRoot } = await gitPlace(repo);
  const baseline = spec.baseline ?? (await headCommit(gitRoot));
  let name = spec.name;
  if (name === undefined) {
    const taken = new Set((await listExperiments(gitRoot, baseline)).map((e) => e.name));
    name = randomExpName(taken);
  } else {
    checkExpName(name);
    const ref = expRefName(baseline, name);
    if (!spec.force && (await readRefRaw(gitRoot, ref)) !== null) throw new ExperimentExistsError(name, ref);
  }
  const edits = await planSetParams(repo.root, spec.cwd, spec.setParams ?? []);
  await writeParamsEdits(edits);
  return { baseline, name, params: edits.map((e) => e.file) };
}

/** run: repro, recording which stages it reproduced and their lock entries. */
export async function runPrepared(
  repo: Repo,
  spec: ExperimentSpec,
  prepared: PreparedExperiment,
): Promise<{
  repro: ReproResult;
  project: Project | undefined;
  planned: Stage[];
  entries: Record<string, LockEntryData>;
}> {
  let project: Project | undefined;
  const planned: Stage[] = [];
  const entries: Record<string, LockEntryData> = {};
  const repro = await reproLocked(repo, {
    ...spec.repro,
    cwd: spec.cwd,
    force: spec.force === true,
    noGitFollowups: true,
    observer: {
      plan: (p, steps) => {
        project = p;
        for (const id of steps) {
          const s = p.stages.get(id);
          if (s) planned.push(s);
        }
      },
      recorded: (stage, entry) => void (entries[stage.name] = entry),
    },
  });
  // what ran and the experiment's name go with the error, for its run record
  if (spec.repro.signal?.aborted)
    throw Object.assign(new InterruptedError("dvx exp run"), { result: repro, experimentName: prepared.name });
  const failed = repro.failed[0];
  if (failed) {
    throw Object.assign(new ExperimentFailedError(prepared.name, failed.stage, failed.message), {
      result: repro,
      experimentName: prepared.name,
    });
  }
  return { repro, project, planned, entries };
}

/** The three steps for one experiment; see the module header. */
export async function runExperiment(repo: Repo, spec: ExperimentSpec): Promise<ExperimentResult> {
  const prepared = await prepareExperiment(repo, spec);
  const { repro, project, planned, entries } = await runPrepared(repo, spec, prepared);
  const hash = expHash(entries);
  const extra = project ? stageFiles(project, planned) : new Set<string>();
  prepared.params.forEach((p) => extra.add(p));
  const done = await commitExperiment(repo, {
    baseline: prepared.baseline,
    name: prepared.name,
    expHash: hash,
    force: spec.force === true,
    ...(spec.message !== undefined ? { message: spec.message } : {}),
    extra,
  });
  return {
    name: prepared.name,
    ref: done.ref,
    commit: done.commit,
    baseline: prepared.baseline,
    expHash: hash,
    params: prepared.params,
    repro,
  };
}
