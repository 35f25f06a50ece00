// dvx runs show ID: one run record, found by its id, a unique start of one, or (newest first) the experiment name
// or commit it records.
import { AmbiguousRunError, RunNotFoundError } from "../runs/errors.js";
import { loadRuns, type KnownRun } from "../runs/load-runs.js";
import type { Repo } from "../repo.js";

export async function runsShowOp(repo: Repo, opts: { id: string }): Promise<KnownRun> {
  const all = await loadRuns(repo);
  const id = opts.id;
  const exact = all.find((r) => r.record.id === id);
  if (exact) return exact;
  const byPrefix = all.filter((r) => r.record.id.startsWith(id));
  if (byPrefix.length > 1)
    throw new AmbiguousRunError(
      id,
      byPrefix.map((r) => r.record.id),
    );
  if (byPrefix.length === 1) return byPrefix[0]!;
  const commitLike = /^[0-9a-f]{4,40}$/.test(id);
  const byExp = all.find(
    (r) => r.record.experiment?.name === id || (commitLike && r.record.experiment?.commit?.startsWith(id) === true),
  );
  if (byExp) return byExp;
  throw new RunNotFoundError(id);
}
