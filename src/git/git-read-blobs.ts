// Reads for comparing many revisions at once (`exp show` over hundreds of experiments): the blob id of a path at
// a revision (so callers parse each distinct blob once) and the DVC files of a commit found through a walk that
// is memoised per tree object, so that commits sharing most of their trees (an experiment and its baseline) cost
// only their changed trees.
import type { RepoContext } from "./git-types.js";
import { normalizeRepoPath } from "./git-util.js";
import { entryAt, rootTree, treeEntries } from "./git-read.js";
import { withContext } from "./repo-context.js";

/** The blob id of `filePath` in commit `commitOid`, or null when it is not a file there. */
export function blobOidAtRev(dir: string, commitOid: string, filePath: string): Promise<string | null> {
  return withContext("read-file", dir, async (ctx) => {
    const rel = normalizeRepoPath(filePath, `git revision ${commitOid}`);
    if (rel === "") return null;
    const entry = await entryAt(ctx, commitOid, rel);
    return entry?.type === "blob" ? entry.oid : null;
  });
}

const isDvcFileName = (name: string): boolean => name === "dvc.yaml" || (name.endsWith(".dvc") && name !== ".dvc");
const memos = new WeakMap<RepoContext, Map<string, Promise<string[]>>>();

/** dvc.yaml and *.dvc files below tree `oid`, relative to it (unsorted); memoised per tree. */
function dvcFilesInTree(ctx: RepoContext, memo: Map<string, Promise<string[]>>, oid: string): Promise<string[]> {
  let pending = memo.get(oid);
  if (pending === undefined) {
    pending = (async () => {
      const out: string[] = [];
      for (const [name, e] of await treeEntries(ctx, oid)) {
        if (e.type === "blob" && isDvcFileName(name)) out.push(name);
        else if (e.type === "tree" && name !== ".git" && name !== ".dvc")
          for (const p of await dvcFilesInTree(ctx, memo, e.oid)) out.push(`${name}/${p}`);
      }
      return out;
    })();
    memo.set(oid, pending);
  }
  return pending;
}

/** Every dvc.yaml and .dvc file of commit `commitOid` (never inside .git or .dvc directories), sorted. */
export function dvcFilesAtRev(dir: string, commitOid: string): Promise<string[]> {
  return withContext("list-files", dir, async (ctx) => {
    let memo = memos.get(ctx);
    if (memo === undefined) memos.set(ctx, (memo = new Map()));
    return [...(await dvcFilesInTree(ctx, memo, await rootTree(ctx, commitOid)))].sort();
  });
}
