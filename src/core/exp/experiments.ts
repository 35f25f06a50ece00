// Finding experiments: every experiment ref (auxiliary refs skipped), those of one baseline, and what a name the
// user typed stands for (DVC's resolve_name: a full ref, else the name on HEAD's baseline, else the only
// experiment of that name on any baseline; a commit id or unique prefix of an experiment works too), or a revision
// or name (DVC's resolve_rev: a git revision first, else an experiment).
import { listRefsUnder, resolveRef } from "../../git/refs-store.js";
import { AmbiguousExperimentError, ExperimentNotFoundError, NoBaselineError } from "../../exp/errors.js";
import { EXPS_NAMESPACE, baselinePrefix, parseExpRef, type ExpRef } from "../../exp/refs.js";
import { RevisionNotFoundError } from "../../errors.js";

export interface Experiment extends ExpRef {
  /** The experiment commit. */
  oid: string;
}

/** Every experiment in the repository, sorted by ref. */
export async function listExperiments(gitRoot: string, baseline?: string): Promise<Experiment[]> {
  const prefix = baseline === undefined ? `${EXPS_NAMESPACE}/` : baselinePrefix(baseline);
  const out: Experiment[] = [];
  for (const r of await listRefsUnder(gitRoot, prefix)) {
    const e = parseExpRef(r.ref);
    if (e && r.oid !== undefined) out.push({ ...e, oid: r.oid });
  }
  return out;
}

/** The commit HEAD points to; NoBaselineError before the first commit. */
export async function headCommit(gitRoot: string): Promise<string> {
  const head = await resolveRef(gitRoot, "HEAD");
  if (head === null) throw new NoBaselineError();
  return head;
}

/** Resolves each name (all or nothing: ExperimentNotFoundError names every unknown one). */
export async function resolveExperiments(gitRoot: string, names: readonly string[]): Promise<Experiment[]> {
  const all = await listExperiments(gitRoot);
  const head = await resolveRef(gitRoot, "HEAD");
  const missing: string[] = [];
  const out: Experiment[] = [];
  for (const name of names) {
    const hit = pick(all, name, head);
    if (hit === null) missing.push(name);
    else out.push(hit);
  }
  if (missing.length > 0) throw new ExperimentNotFoundError(missing);
  return out;
}

/** The commit a revision or experiment name stands for; RevisionNotFoundError when it is neither. */
export async function resolveRevOrExp(gitRoot: string, rev: string): Promise<string> {
  const { resolveRevision } = await import("../../git/revparse.js");
  try {
    return await resolveRevision(gitRoot, rev);
  } catch (err) {
    if (!(err instanceof RevisionNotFoundError) || rev === "HEAD") throw err;
    const exp = pick(await listExperiments(gitRoot), rev, await resolveRef(gitRoot, "HEAD"));
    if (exp === null) throw err;
    return exp.oid;
  }
}

function pick(all: Experiment[], name: string, head: string | null): Experiment | null {
  if (name.startsWith("refs/")) return all.find((e) => e.ref === name) ?? null;
  const named = all.filter((e) => e.name === name);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    const onHead = named.find((e) => e.baseline === head);
    if (onHead) return onHead;
    throw new AmbiguousExperimentError(
      name,
      named.map((e) => e.ref),
    );
  }
  if (/^[0-9a-f]{4,40}$/.test(name)) {
    const byOid = all.filter((e) => e.oid.startsWith(name));
    const commits = new Set(byOid.map((e) => e.oid));
    if (commits.size === 1) return byOid.find((e) => e.baseline === head) ?? byOid[0]!;
    if (commits.size > 1)
      throw new AmbiguousExperimentError(
        name,
        byOid.map((e) => e.ref),
      );
  }
  return null;
}
