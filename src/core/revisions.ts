// Which revisions a metrics/params command reads: the pair a diff compares (a_rev default HEAD, b_rev
// default the workspace), or the list `show -a/-T/-A` walks (DVC's brancher: the workspace first, then each
// commit once, named by every branch/tag that points at it, joined with ", "; -A names commits by hash).
import type { Repo } from "./repo.js";
import { openRevFiles, type RevFiles } from "./rev-files.js";

export interface RevPair {
  a: RevFiles;
  b: RevFiles;
  /** Table headers for the two sides: the revisions as typed, or "HEAD" and "workspace". */
  aLabel: string;
  bLabel: string;
}

/** The two sides of a diff; null in a repository without commits (DVC answers an empty diff there). */
export async function openRevPair(repo: Repo, aRev?: string, bRev?: string): Promise<RevPair | null> {
  const { headOid } = await import("../git/git.js");
  if (aRev === undefined && (await headOid(repo.root)) === null) return null;
  const [a, b] = await Promise.all([openRevFiles(repo, aRev ?? "HEAD"), openRevFiles(repo, bRev)]);
  return { a, b, aLabel: aRev ?? "HEAD", bLabel: bRev ?? "workspace" };
}

export interface ShowScope {
  allBranches?: boolean;
  allTags?: boolean;
  allCommits?: boolean;
}

export interface NamedRev {
  /** "" (the workspace, when no revisions were asked for), "workspace", "main", "v1, v1.0" or a commit hash. */
  name: string;
  /** The commit; undefined for the workspace. */
  commit?: string;
}

export const wantsRevisions = (s: ShowScope): boolean => Boolean(s.allBranches || s.allTags || s.allCommits);

export async function showRevisions(repo: Repo, scope: ShowScope): Promise<NamedRev[]> {
  if (!wantsRevisions(scope)) return [{ name: "" }];
  const git = await import("../git/git.js");
  const named: Array<[name: string, oid: string]> = [];
  if (scope.allCommits) for (const oid of await git.listAllCommits(repo.root)) named.push([oid, oid]);
  else {
    const refs = await git.listRefs(repo.root);
    if (scope.allBranches) for (const b of refs.branches) named.push([b.name, b.oid]);
    if (scope.allTags) for (const t of refs.tags) named.push([t.name, t.oid]);
  }
  const byOid = new Map<string, string[]>();
  for (const [name, oid] of named) (byOid.get(oid) ?? byOid.set(oid, []).get(oid)!).push(name);
  return [{ name: "workspace" }, ...[...byOid].map(([commit, names]) => ({ name: names.join(", "), commit }))];
}

/** The checked-out branch, or undefined (detached HEAD, no git). */
export async function activeBranch(repo: Repo): Promise<string | undefined> {
  const { currentBranch } = await import("../git/git.js");
  return (await currentBranch(repo.root)) ?? undefined;
}
