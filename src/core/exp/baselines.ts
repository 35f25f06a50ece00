// The baselines `exp show` lists (DVC's dvc.scm.iter_revs and experiments.utils.describe): the given revisions
// (default HEAD), each with its `num - 1` first ancestors (a negative num: all of them), then every branch and
// tag (-a/-T) or every commit (-A); each commit once, in that order. Names: the checked-out branch for HEAD's
// commit, else a tag, else a branch pointing at it (refs as stored: an annotated tag names its tag object, as in
// DVC, so it names no baseline).
import type { Repo } from "../repo.js";
import { resolveRevOrExp } from "./experiments.js";

export interface BaselineScope {
  revs?: readonly string[];
  /** Commits per revision, the revision included (DVC's -n; default 1; negative: all first parents). */
  num?: number;
  allBranches?: boolean;
  allTags?: boolean;
  allCommits?: boolean;
}

const shortRef = (ref: string, base: string): string => ref.slice(base.length);

export async function baselineCommits(repo: Repo, scope: BaselineScope): Promise<string[]> {
  const { listRefsUnder } = await import("../../git/refs-store.js");
  const { listAllCommits, readObjectInfo } = await import("../../git/git-read.js");
  const any = (scope.revs?.length ?? 0) > 0 || scope.allBranches || scope.allTags || scope.allCommits;
  const revs = any ? (scope.revs ?? []) : ["HEAD"];
  const num = scope.num ?? 1;
  const out: string[] = [];
  for (const rev of revs) {
    if (num === 0) continue;
    let oid: string | undefined = await resolveRevOrExp(repo.root, rev);
    for (let n = 0; oid !== undefined && n !== num; n++) {
      out.push(oid);
      const info = await readObjectInfo(repo.root, oid);
      oid = info?.type === "commit" ? info.parents[0] : undefined;
    }
  }
  if (scope.allCommits) {
    const kept = (r: string): boolean => /^refs\/(heads|tags|remotes)\//.test(r);
    out.push(...(await listAllCommits(repo.root, kept)));
  } else {
    const { peelToCommit } = await import("../../git/git-read.js");
    for (const base of [scope.allBranches && "refs/heads/", scope.allTags && "refs/tags/"]) {
      if (!base) continue;
      for (const { oid } of await listRefsUnder(repo.root, base)) {
        const commit = oid === undefined ? null : await peelToCommit(repo.root, oid);
        if (commit !== null) out.push(commit);
      }
    }
  }
  return [...new Set(out)];
}

/** A name for each commit that has one (DVC's describe). */
export async function describeCommits(repo: Repo, commits: readonly string[]): Promise<Map<string, string>> {
  const { listRefsUnder } = await import("../../git/refs-store.js");
  const { currentBranch, headOid } = await import("../../git/git-read.js");
  const [head, branch] = await Promise.all([headOid(repo.root), currentBranch(repo.root)]);
  const tags = new Map<string, string>();
  const branches = new Map<string, string>();
  for (const { ref, oid } of await listRefsUnder(repo.root, "refs/tags/"))
    if (oid !== undefined && !tags.has(oid)) tags.set(oid, shortRef(ref, "refs/tags/"));
  for (const { ref, oid } of await listRefsUnder(repo.root, "refs/heads/"))
    if (oid !== undefined && !branches.has(oid)) branches.set(oid, shortRef(ref, "refs/heads/"));
  const names = new Map<string, string>();
  for (const c of commits) {
    const name = c === head && branch !== null ? branch : (tags.get(c) ?? branches.get(c));
    if (name !== undefined) names.set(c, name);
  }
  return names;
}
