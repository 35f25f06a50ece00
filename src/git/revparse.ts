// `git rev-parse` for the forms dvx needs (isomorphic-git has none): a full or short hash, a ref
// name resolved in git's order, `@`, then any chain of `~N`, `^N`, `^{}` and `^{commit}`.
// The answer is always a commit oid (annotated tags are peeled).

import { RevisionNotFoundError } from "../errors.js";
import { UnsupportedRevisionError } from "./git-errors.js";
import { expandShortOid, listRefNames, peelToCommit, readObjectInfo, resolveRefExact } from "./git.js";

type Step = { kind: "ancestor"; n: number } | { kind: "parent"; n: number };

const FULL_OID = /^[0-9a-fA-F]{40}$/;
const SHORT_OID = /^[0-9a-fA-F]{4,39}$/;
/** Refs that live directly in the git dir: HEAD, ORIG_HEAD, MERGE_HEAD... (git's pseudo-ref syntax). */
const ROOT_REF = /^[A-Z][A-Z0-9_]*$/;

/** Splits "main~2^2" into the base name and its navigation steps. */
export function parseRevision(rev: string): { base: string; steps: Step[] } {
  if (rev === "") throw new RevisionNotFoundError(rev);
  if (rev.includes("@{"))
    throw new UnsupportedRevisionError(rev, "reflog and upstream syntax (@{...}) is not supported");
  if (rev.includes(":")) throw new UnsupportedRevisionError(rev, "the rev:path and :/search forms are not supported");
  if (rev.includes("..")) throw new UnsupportedRevisionError(rev, "ranges (a..b, a...b) name several commits");
  const cut = rev.search(/[~^]/);
  const base = cut === -1 ? rev : rev.slice(0, cut);
  if (base === "") throw new UnsupportedRevisionError(rev, "it has no branch, tag or hash before ~ or ^");
  const steps: Step[] = [];
  let rest = cut === -1 ? "" : rev.slice(cut);
  while (rest !== "") {
    const m = /^(?:~(\d*)|\^\{([^}]*)\}|\^(\d*))/.exec(rest);
    if (m === null) throw new RevisionNotFoundError(rev);
    const [token, tilde, peel, caret] = m;
    if (peel !== undefined) {
      // ^{} and ^{commit} peel to a commit, which every answer is anyway.
      if (peel !== "" && peel !== "commit")
        throw new UnsupportedRevisionError(rev, `^{${peel}} does not name a commit`);
    } else if (tilde !== undefined) {
      steps.push({ kind: "ancestor", n: tilde === "" ? 1 : Number(tilde) });
    } else {
      steps.push({ kind: "parent", n: caret === undefined || caret === "" ? 1 : Number(caret) });
    }
    rest = rest.slice(token.length);
  }
  return { base, steps };
}

/** The ref paths git tries for a short name, in git's order (tags before branches before remotes). */
function refCandidates(name: string): string[] {
  const out = name.startsWith("refs/") || ROOT_REF.test(name) ? [name] : [];
  out.push(
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  );
  return out;
}

/** The oid a ref name points to (unpeeled), or null when no ref of that name exists. */
async function resolveRefName(dir: string, name: string): Promise<string | null> {
  let refs: Set<string> | undefined;
  for (const candidate of refCandidates(name)) {
    if (candidate.startsWith("refs/")) {
      refs ??= await listRefNames(dir);
      if (!refs.has(candidate)) continue;
    }
    const oid = await resolveRefExact(dir, candidate);
    if (oid !== null) return oid;
  }
  return null;
}

async function resolveBase(dir: string, base: string): Promise<string | null> {
  if (FULL_OID.test(base)) return base.toLowerCase();
  const name = base === "@" ? "HEAD" : base;
  const fromRef = await resolveRefName(dir, name);
  if (fromRef !== null) return fromRef;
  return SHORT_OID.test(base) ? expandShortOid(dir, base.toLowerCase()) : null;
}

/**
 * Resolves a revision as `git rev-parse <rev>^{commit}` would: full or short (≥ 4, unique) hash,
 * HEAD / @, branch, tag (annotated tags peeled), remote-tracking ref, full ref name, followed by
 * any chain of ~N, ^N, ^{}, ^{commit}. Throws RevisionNotFoundError, AmbiguousRevisionError or
 * UnsupportedRevisionError.
 */
export async function resolveRevision(dir: string, rev: string): Promise<string> {
  const { base, steps } = parseRevision(rev);
  const start = await resolveBase(dir, base);
  let oid = start === null ? null : await peelToCommit(dir, start);
  if (oid === null) throw new RevisionNotFoundError(rev);
  for (const step of steps) {
    const hops = step.kind === "ancestor" ? step.n : 1;
    const index = step.kind === "ancestor" ? 0 : step.n - 1;
    if (step.kind === "parent" && step.n === 0) continue;
    for (let i = 0; i < hops; i++) {
      const info = await readObjectInfo(dir, oid);
      const next = info?.type === "commit" ? info.parents[index] : undefined;
      if (next === undefined) throw new RevisionNotFoundError(rev);
      oid = next;
    }
  }
  // A parent that is not in the object store (shallow clone) is not a revision either.
  if (steps.length > 0 && (await readObjectInfo(dir, oid))?.type !== "commit") throw new RevisionNotFoundError(rev);
  return oid;
}
