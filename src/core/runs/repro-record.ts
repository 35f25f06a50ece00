// The run record of a `dvx repro`: written after the run, whatever its outcome (finished, failed, killed), to
// `.dvc/tmp/runs/<id>.json` (local; DVC ignores .dvc/tmp).
import type { ReproResult } from "../ops/repro.js";
import type { Repo } from "../repo.js";
import { buildRunRecord, type RunStart } from "./build-record.js";
import { saveRunRecord, type RunRecord } from "./record.js";

export interface ReproRecordInput {
  command: string;
  start: RunStart;
  name?: string;
  result?: ReproResult;
  /** The error that stopped the run, when it did not return. */
  error?: unknown;
}

export async function recordRepro(repo: Repo, input: ReproRecordInput): Promise<RunRecord> {
  const record = await buildRunRecord(repo, {
    kind: "repro",
    command: input.command,
    start: input.start,
    name: input.name ?? "repro",
    ...(input.result ? { result: input.result } : {}),
    ...(input.error !== undefined ? { error: input.error } : {}),
  });
  await saveRunRecord(repo, record);
  return record;
}
