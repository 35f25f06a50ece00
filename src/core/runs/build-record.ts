// Builds a run record (record.ts) from what a run returned or threw: the status (finished, failed, killed), every
// stage's action, time and exit code, and the params, metrics and output hashes of the work tree afterwards.
// The git state and environment are read as the run starts (startRun), alongside it: the code it began from.
import { AppError } from "../../errors.js";
import { mapLeaves } from "../../metrics/flatten.js";
import { jsonLeaf } from "../../metrics/values.js";
import { gatherMetrics, gatherParams, type RevData } from "../metrics-gather.js";
import type { ReproResult } from "../ops/repro.js";
import { loadProject, type Project } from "../pipeline/project.js";
import { openRevFiles } from "../rev-files.js";
import type { Repo } from "../repo.js";
import { environmentFacts, gitState, newRunId, userAndHost } from "./record-facts.js";
import type { RunRecord, RunStatus, StageRecord } from "./record.js";

/** Taken as a run begins: when, and (read alongside the run) the git state it starts from and the environment. */
export interface RunStart {
  started: Date;
  git: Promise<RunRecord["git"]>;
  environment: Promise<RunRecord["environment"]>;
}

/** Starts reading the git state and the environment; the run need not wait for them (buildRunRecord does). */
export function startRun(repo: Repo, now = new Date()): RunStart {
  const git = gitState(repo.root, repo.env);
  const environment = environmentFacts(repo.root, repo.env);
  // settled by buildRunRecord; never an unhandled rejection if the run throws first
  git.catch(() => undefined);
  environment.catch(() => undefined);
  return { started: now, git, environment };
}

export interface RunRecordInput {
  kind: RunRecord["kind"];
  /** The command line, e.g. "dvx repro -f train". */
  command: string;
  start: RunStart;
  name: string;
  /** What repro returned (also when stages failed). */
  result?: ReproResult;
  /** What stopped the run, when it threw. */
  error?: unknown;
  experiment?: RunRecord["experiment"];
}

const dataOf = (r: RevData): Record<string, unknown> =>
  Object.fromEntries(r.files.filter((f) => f.error === undefined).map((f) => [f.path, mapLeaves(f.data, jsonLeaf)]));

/** Output path → "<hash name>:<value>" from every dvc.lock of the project as it is now. */
function outputHashes(project: Project): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, lock] of project.locks) {
    for (const stage of project.pipelines.get(file)?.stages ?? []) {
      const entry = lock?.stages.get(stage.name);
      for (const o of stage.outs) {
        const item = entry?.outs.find((i) => i.path === o.decl);
        if (item?.md5) out[o.path] = `${item.hash ?? "md5-dos2unix"}:${item.md5}`;
      }
    }
  }
  return out;
}

const isInterrupt = (e: unknown): boolean => e instanceof AppError && e.code === "INTERRUPTED";

export function runStatus(result: ReproResult | undefined, error: unknown): RunStatus {
  if (isInterrupt(error) || result?.interrupted || result?.failed.some((f) => f.code === "INTERRUPTED"))
    return "killed";
  return error !== undefined || (result?.failed.length ?? 0) > 0 ? "failed" : "finished";
}

export function stageRecords(res: ReproResult | undefined): StageRecord[] {
  if (!res) return [];
  return [
    ...res.stages.map((s) => ({
      stage: s.stage,
      action: s.action,
      durationMs: s.durationMs,
      ...(s.action === "ran" ? { exitCode: 0 } : {}),
    })),
    ...res.failed.map((f) => ({
      stage: f.stage,
      action: f.code === "INTERRUPTED" ? "interrupted" : "failed",
      durationMs: f.durationMs,
      ...(f.exitStatus !== undefined ? { exitCode: f.exitStatus } : {}),
      ...(f.signal !== undefined ? { signal: f.signal } : {}),
      error: f.message,
    })),
    ...res.notRun.map((stage) => ({ stage, action: "not run", durationMs: 0 })),
  ];
}

/**
 * Whether a run that threw ran anything worth a record: it was interrupted, or it carries repro's result (a failed
 * experiment). A refusal before anything ran (invalid dvc.yaml, a bad -S, the lock busy) leaves nothing behind.
 */
export const ranBeforeError = (error: unknown): boolean =>
  isInterrupt(error) || (error as { result?: unknown } | undefined)?.result !== undefined;

/** A repro that threw may carry its result (experiments attach it to ExperimentFailedError). */
const resultOf = (input: RunRecordInput): ReproResult | undefined =>
  input.result ?? (input.error as { result?: ReproResult } | undefined)?.result;

export async function buildRunRecord(repo: Repo, input: RunRecordInput): Promise<RunRecord> {
  const ended = new Date();
  const files = await openRevFiles(repo);
  const [git, environment, params, metrics] = await Promise.all([
    input.start.git,
    input.start.environment,
    gatherParams(files),
    gatherMetrics(files),
  ]);
  let outputs: Record<string, string> = {};
  try {
    outputs = outputHashes(await loadProject(repo));
  } catch (err) {
    if (!(err instanceof AppError)) throw err; // an invalid dvc.yaml: the record has no output hashes
  }
  const res = resultOf(input);
  const { started } = input.start;
  const error =
    input.error instanceof AppError
      ? { code: input.error.code, message: input.error.message }
      : input.error !== undefined
        ? { code: "INTERNAL", message: String(input.error) }
        : undefined;
  return {
    version: 1,
    id: newRunId(started),
    name: input.name,
    kind: input.kind,
    status: runStatus(res, input.error),
    started: started.toISOString(),
    ended: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    git,
    command: input.command,
    ...userAndHost(),
    params: dataOf(params),
    metrics: dataOf(metrics),
    stages: stageRecords(res),
    outputs,
    environment,
    ...(input.experiment ? { experiment: input.experiment } : {}),
    ...(error ? { error } : {}),
  };
}
