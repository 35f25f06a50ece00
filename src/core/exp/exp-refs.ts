// Experiments as refs (docs/formats.md §11.1), read with the fast ref reader (one pass over refs/exps/, whatever
// the count), and what a revision typed by the user stands for, as DVC's dvc.scm.resolve_rev: a git revision
// first (a branch, tag, hash, or the short hash of an experiment commit), else an experiment name (resolve_name:
// `refs/exps/...` in full, else the experiment of that name, the one on HEAD's baseline when several are).
import { AmbiguousRevisionError } from "../../git/git-errors.js";
import { EXPS_NAMESPACE, baselinePrefix, parseExpRef, type ExpRef } from "../../exp/refs.js";
import { RevisionNotFoundError } from "../../errors.js";
import type { Repo } from "../repo.js";

export interface ExpRefInfo extends ExpRef {
  /** The experiment commit the ref points to. */
  oid: string;
}

/** Every experiment (auxiliary refs skipped), or those of one baseline, sorted by ref. */
export async function listExpRefs(root: string, baseline?: string): Promise<ExpRefInfo[]> {
  const { refsUnder } = await import("../../git/git-read-blobs.js");
  const prefix = baseline === undefined ? `${EXPS_NAMESPACE}/` : baselinePrefix(baseline);
  const out: ExpRefInfo[] = [];
  for (const { ref, oid } of await refsUnder(root, prefix)) {
    const info = parseExpRef(ref);
    if (info) out.push({ ...info, oid });
  }
  return out;
}

/** The experiment `name` names (DVC's resolve_name), or null; AmbiguousRevisionError for several baselines. */
export async function resolveExpName(root: string, name: string): Promise<ExpRefInfo | null> {
  const all = await listExpRefs(root);
  if (name.startsWith("refs/")) return all.find((e) => e.ref === name) ?? null;
  const named = all.filter((e) => e.name === name);
  if (named.length <= 1) return named[0] ?? null;
  const { headOid } = await import("../../git/git-read.js");
  const head = await headOid(root);
  const onHead = named.find((e) => e.baseline === head);
  if (onHead) return onHead;
  throw new AmbiguousRevisionError(
    name,
    named.map((e) => e.ref),
  );
}

/** The commit a revision or experiment name stands for; RevisionNotFoundError when it is neither. */
export async function resolveRevOrExp(repo: Repo, rev: string): Promise<string> {
  const { resolveRevision } = await import("../../git/revparse.js");
  try {
    return await resolveRevision(repo.root, rev);
  } catch (err) {
    if (!(err instanceof RevisionNotFoundError) || rev === "HEAD") throw err;
    const exp = await resolveExpName(repo.root, rev);
    if (exp === null) throw err;
    return exp.oid;
  }
}
