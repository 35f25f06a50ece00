// dvx exp remove NAME... / -A: deletes experiment refs. Every name is resolved before anything is deleted (an
// unknown one stops the command with nothing removed); each ref is deleted only if it still points where it did.
import { deleteRef } from "../../git/refs-store.js";
import { UsageError } from "../../errors.js";
import { gitPlace } from "../exp/collect.js";
import { listExperiments, resolveExperiments, type Experiment } from "../exp/experiments.js";
import type { Repo } from "../repo.js";

export interface ExpRemoveOptions {
  names: string[];
  /** -A/--all-commits: every experiment of every baseline. */
  allCommits?: boolean;
}

export async function expRemoveOp(repo: Repo, opts: ExpRemoveOptions): Promise<{ removed: Experiment[] }> {
  const { gitRoot } = await gitPlace(repo);
  if (opts.names.length === 0 && !opts.allCommits)
    throw new UsageError("name the experiments to remove, or use -A for all of them");
  const targets = new Map<string, Experiment>();
  if (opts.allCommits) for (const e of await listExperiments(gitRoot)) targets.set(e.ref, e);
  if (opts.names.length > 0) for (const e of await resolveExperiments(gitRoot, opts.names)) targets.set(e.ref, e);
  const removed: Experiment[] = [];
  for (const e of targets.values()) {
    await deleteRef(gitRoot, e.ref, e.oid);
    removed.push(e);
  }
  return { removed };
}
