// dvx exp list: the experiments of HEAD's baseline (or of every baseline), grouped by baseline, with the branch
// or tag name of each baseline when one points at it.
import { listRefsUnder, resolveRef } from "../../git/refs-store.js";
import { gitPlace } from "../exp/collect.js";
import { listExperiments } from "../exp/experiments.js";
import type { Repo } from "../repo.js";

export interface ExpListBaseline {
  rev: string;
  /** A tag or branch at that commit (tags first, as `git describe` prefers them), else null. */
  name: string | null;
  experiments: Array<{ name: string; rev: string; ref: string }>;
}

export async function expListOp(repo: Repo, opts: { allCommits?: boolean }): Promise<ExpListBaseline[]> {
  const { gitRoot } = await gitPlace(repo);
  const head = await resolveRef(gitRoot, "HEAD");
  if (!opts.allCommits && head === null) return [];
  const exps = await listExperiments(gitRoot, opts.allCommits ? undefined : (head ?? undefined));
  const names = new Map<string, string>();
  for (const prefix of ["refs/heads/", "refs/tags/"]) {
    for (const r of await listRefsUnder(gitRoot, prefix)) {
      if (r.oid !== undefined && (prefix === "refs/tags/" || !names.has(r.oid)))
        names.set(r.oid, r.ref.slice(prefix.length));
    }
  }
  const byBaseline = new Map<string, ExpListBaseline>();
  for (const e of exps) {
    let b = byBaseline.get(e.baseline);
    if (!b) byBaseline.set(e.baseline, (b = { rev: e.baseline, name: names.get(e.baseline) ?? null, experiments: [] }));
    b.experiments.push({ name: e.name, rev: e.oid, ref: e.ref });
  }
  return [...byBaseline.values()];
}
