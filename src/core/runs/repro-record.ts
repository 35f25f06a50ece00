// The run record of a `dvx repro`: written after the run, whatever its outcome (finished, failed, killed).
import { AppError } from "../../errors.js";
import { mapLeaves } from "../../metrics/flatten.js";
import { jsonLeaf } from "../../metrics/values.js";
import { gatherMetrics, gatherParams, type RevData } from "../metrics-gather.js";
import type { ReproResult } from "../ops/repro.js";
import type { Project } from "../pipeline/project.js";
import { loadProject } from "../pipeline/project.js";
import { openRevFiles } from "../rev-files.js";
import type { Repo } from "../repo.js";
import {
  environmentFacts,
  gitState,
  newRunId,
  saveRunRecord,
  userAndHost,
  type RunRecord,
  type RunStatus,
} from "./record.js";

const dataOf = (r: RevData): Record<string, unknown> =>
  Object.fromEntries(r.files.filter((f) => f.error === undefined).map((f) => [f.path, mapLeaves(f.data, jsonLeaf)]));

/** Output path → "md5:<hash>" from every dvc.lock of the project as it is now. */
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

export interface ReproRecordInput {
  command: string;
  started: Date;
  name?: string;
  result?: ReproResult;
  /** The error that stopped the run, when it did not return. */
  error?: unknown;
  /** The git state and environment, when captured as the run started (see startRunFacts). */
  facts?: RunFacts;
}

export interface RunFacts {
  git: Promise<RunRecord["git"]>;
  environment: Promise<RunRecord["environment"]>;
}

/** Starts reading the git state (the code the run starts from) and the environment, alongside the run. */
export function startRunFacts(repo: Repo): RunFacts {
  const git = gitState(repo.root);
  const environment = environmentFacts(repo.root);
  // settled later by recordRepro; never an unhandled rejection if the run throws first
  git.catch(() => undefined);
  environment.catch(() => undefined);
  return { git, environment };
}

export async function recordRepro(repo: Repo, input: ReproRecordInput): Promise<RunRecord> {
  const ended = new Date();
  const files = await openRevFiles(repo);
  const [git, environment, params, metrics] = await Promise.all([
    input.facts?.git ?? gitState(repo.root),
    input.facts?.environment ?? environmentFacts(repo.root),
    gatherParams(files),
    gatherMetrics(files),
  ]);
  let outputs: Record<string, string> = {};
  try {
    outputs = outputHashes(await loadProject(repo));
  } catch (err) {
    if (!(err instanceof AppError)) throw err; // an invalid dvc.yaml: the record has no output hashes
  }
  const res = input.result;
  const interrupted = input.error instanceof AppError && input.error.code === "INTERRUPTED";
  const status: RunStatus =
    interrupted || res?.failed.some((f) => f.code === "INTERRUPTED")
      ? "killed"
      : input.error !== undefined || (res?.failed.length ?? 0) > 0
        ? "failed"
        : "finished";
  const record: RunRecord = {
    id: newRunId(input.started),
    name: input.name ?? "repro",
    kind: "repro",
    status,
    started: input.started.toISOString(),
    ended: ended.toISOString(),
    durationMs: ended.getTime() - input.started.getTime(),
    git,
    command: input.command,
    ...userAndHost(),
    params: dataOf(params),
    metrics: dataOf(metrics),
    stages: [
      ...(res?.stages ?? []).map((s) => ({ stage: s.stage, action: s.action, durationMs: s.durationMs })),
      ...(res?.failed ?? []).map((f) => ({
        stage: f.stage,
        action: "failed",
        durationMs: 0,
        ...(f.exitStatus !== undefined ? { exitCode: f.exitStatus } : {}),
        error: f.message,
      })),
    ],
    outputs,
    environment,
  };
  await saveRunRecord(repo, record);
  return record;
}
