// The "Pipeline run" section of a report: the newest `dvx repro` run record of this workspace (.dvc/tmp/runs/).
import type { RunSection } from "../../report/report-model.js";
import type { Repo } from "../repo.js";
import { loadRunRecords } from "../runs/record.js";

export async function newestRun(repo: Repo): Promise<RunSection | null> {
  const r = (await loadRunRecords(repo)).find((x) => x.kind === "repro");
  if (r === undefined) return null;
  return {
    id: r.id,
    status: r.status,
    started: r.started,
    durationMs: r.durationMs,
    commit: r.git?.commit ?? null,
    stages: (r.stages ?? []).map((s) => ({ stage: s.stage, action: s.action, durationMs: s.durationMs })),
  };
}
