// Reading a git repository without isomorphic-git: refs, commits, trees and files at a revision, through
// ObjectStore (loose objects and packs) and the ref files. Every call takes the work tree root `dir`; parsed
// commits and trees are cached per repository for the life of the process; refs are always read fresh.
import { RevisionNotFoundError } from "../errors.js";
import { AmbiguousRevisionError } from "./git-errors.js";
import type { CommitInfo, GitObjectInfo, RefList, RepoContext, TreeEntry } from "./git-types.js";
import { normalizeRepoPath } from "./git-util.js";
import { objectInfoOf, parseTreeObject } from "./object-parse.js";
import { CorruptGitObjectError } from "./object-store.js";
import { currentBranchIn, listRefNamesIn, resolveRefIn } from "./refs-reader.js";
import { withContext } from "./repo-context.js";

// ---------------------------------------------------------------- refs

/**
 * The oid a ref points to (symbolic refs followed), or null when the ref does not exist.
 * `ref` is exact: "HEAD", "refs/heads/main".
 */
export function resolveRefExact(dir: string, ref: string): Promise<string | null> {
  return withContext("resolve-ref", dir, (ctx) => resolveRefIn(ctx.gitdir, ref));
}

/** Full names of every ref under refs/ (loose and packed), e.g. "refs/remotes/origin/main". */
export function listRefNames(dir: string): Promise<Set<string>> {
  return withContext("list-refs", dir, (ctx) => new Set(listRefNamesIn(ctx.gitdir)));
}

/** The full oid for a hex prefix, or null when nothing matches; AmbiguousRevisionError for several. */
export function expandShortOid(dir: string, prefix: string): Promise<string | null> {
  return withContext("expand-oid", dir, (ctx) => {
    const matches = ctx.store.expandPrefix(prefix.toLowerCase());
    if (matches.length > 1) throw new AmbiguousRevisionError(prefix, matches);
    return matches[0] ?? null;
  });
}

/** The checked-out branch ("main"), or null when HEAD is detached. */
export function currentBranch(dir: string): Promise<string | null> {
  return withContext("current-branch", dir, (ctx) => currentBranchIn(ctx.gitdir));
}

/** The commit HEAD points to, or null in a repository without commits. */
export function headOid(dir: string): Promise<string | null> {
  return resolveRefExact(dir, "HEAD");
}

// ---------------------------------------------------------------- objects

/** Type and links of an object (commits and tags parsed), or null when it does not exist. */
export function readObjectInfo(dir: string, oid: string): Promise<GitObjectInfo | null> {
  return withContext("read-object", dir, (ctx) => objectInfo(ctx, oid));
}

export function objectInfo(ctx: RepoContext, oid: string): Promise<GitObjectInfo | null> {
  let pending = ctx.objects.get(oid);
  if (pending === undefined) {
    const obj = ctx.store.read(oid);
    pending = Promise.resolve(obj === null ? null : objectInfoOf(oid, obj));
    // Objects never change, but a missing one may arrive later (fetch): misses are not kept.
    if (obj !== null) ctx.objects.set(oid, pending);
  }
  return pending;
}

/** Follows annotated tags down to a commit; null when `oid` is missing or not a commit-ish. */
export function peelToCommit(dir: string, oid: string): Promise<string | null> {
  return withContext("peel", dir, (ctx) => peel(ctx, oid));
}

export async function peel(ctx: RepoContext, oid: string): Promise<string | null> {
  let current = oid;
  for (let depth = 0; depth < 20; depth++) {
    const info = await objectInfo(ctx, current);
    if (info?.type === "commit") return info.oid;
    if (info?.type !== "tag") return null;
    current = info.target;
  }
  return null;
}

/** Local branches and tags (tags peeled to commits; tags of trees/blobs are left out), sorted by name. */
export function listRefs(dir: string): Promise<RefList> {
  return withContext("list-refs", dir, async (ctx) => {
    const names = listRefNamesIn(ctx.gitdir);
    const branches: RefList["branches"] = [];
    const tags: RefList["tags"] = [];
    for (const full of names) {
      const oid = resolveRefIn(ctx.gitdir, full);
      if (oid === null) continue;
      if (full.startsWith("refs/heads/")) branches.push({ name: full.slice("refs/heads/".length), oid });
      else if (full.startsWith("refs/tags/")) {
        const commit = await peel(ctx, oid);
        if (commit !== null) tags.push({ name: full.slice("refs/tags/".length), oid: commit });
      }
    }
    return { branches, tags };
  });
}

/**
 * Every commit reachable from HEAD and the refs under refs/ (like `git rev-list --all`), newest first
 * (committer time; ties by oid). `keepRef` narrows the refs walked from (HEAD always is).
 */
export function listAllCommits(dir: string, keepRef: (ref: string) => boolean = () => true): Promise<string[]> {
  return withContext("rev-list", dir, async (ctx) => {
    const names = listRefNamesIn(ctx.gitdir).filter(keepRef);
    const refs = ["HEAD", ...names].map((r) => resolveRefIn(ctx.gitdir, r));
    const starts = await Promise.all(refs.map((oid) => (oid === null ? null : peel(ctx, oid))));
    const seen = new Map<string, number>();
    const stack = starts.filter((o): o is string => o !== null);
    while (stack.length > 0) {
      const oid = stack.pop()!;
      if (seen.has(oid)) continue;
      const info = await objectInfo(ctx, oid);
      if (info?.type !== "commit") continue; // a parent missing from a shallow clone
      seen.set(oid, info.time);
      stack.push(...info.parents);
    }
    return [...seen].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([oid]) => oid);
  });
}

// ---------------------------------------------------------------- trees at a revision

export function treeEntries(ctx: RepoContext, oid: string): Promise<Map<string, TreeEntry>> {
  let pending = ctx.trees.get(oid);
  if (pending === undefined) {
    const obj = ctx.store.read(oid);
    if (obj?.type !== "tree") throw new CorruptGitObjectError(oid, obj === null ? "tree is missing" : "not a tree");
    pending = Promise.resolve(parseTreeObject(oid, obj.data));
    ctx.trees.set(oid, pending);
  }
  return pending;
}

/** The root tree of a commit (a tag is peeled; a tree oid is taken as is). */
export async function rootTree(ctx: RepoContext, oid: string): Promise<string> {
  if (!/^[0-9a-f]{40}$/.test(oid)) throw new RevisionNotFoundError(oid);
  const info = await objectInfo(ctx, oid);
  if (info?.type === "tree") return info.oid;
  const commit = info?.type === "tag" ? await peel(ctx, oid) : info?.oid;
  const peeled = commit === undefined || commit === null ? null : await objectInfo(ctx, commit);
  if (peeled?.type !== "commit") throw new RevisionNotFoundError(oid);
  return peeled.tree;
}

/** The entry at `rel` ("" = the root tree) in commit `commitOid`, or undefined when nothing is there. */
export async function entryAt(ctx: RepoContext, commitOid: string, rel: string): Promise<TreeEntry | undefined> {
  let entry: TreeEntry | undefined = { mode: "040000", oid: await rootTree(ctx, commitOid), type: "tree" };
  for (const name of rel === "" ? [] : rel.split("/")) {
    if (entry?.type !== "tree") return undefined;
    entry = (await treeEntries(ctx, entry.oid)).get(name);
  }
  return entry;
}

/** The bytes of `filePath` (POSIX, repo-relative) in commit `commitOid`, or null when it is not a file there. */
export function readFileAtRev(dir: string, commitOid: string, filePath: string): Promise<Buffer | null> {
  return withContext("read-file", dir, async (ctx) => {
    const rel = normalizeRepoPath(filePath, `git revision ${commitOid}`);
    if (rel === "") return null;
    const entry = await entryAt(ctx, commitOid, rel);
    if (entry?.type !== "blob") return null;
    const obj = ctx.store.read(entry.oid);
    if (obj?.type !== "blob")
      throw new CorruptGitObjectError(entry.oid, obj === null ? "blob is missing" : "not a blob");
    return obj.data;
  });
}

/** Every blob below tree `treeOid`, as `prefix` + its path, for which `keep` is true (unsorted). */
async function walkTree(
  ctx: RepoContext,
  treeOid: string,
  prefix: string,
  skipDir: (name: string) => boolean,
  keep: (path: string) => boolean,
  out: string[],
): Promise<void> {
  for (const [name, e] of await treeEntries(ctx, treeOid)) {
    const p = prefix + name;
    if (e.type === "tree") {
      if (!skipDir(name)) await walkTree(ctx, e.oid, `${p}/`, skipDir, keep, out);
    } else if (e.type === "blob" && keep(p)) out.push(p);
  }
}

/**
 * Every file (blob, including symlinks) in commit `commitOid` for which `keep` is true, sorted.
 * Never descends into `.git` or `.dvc` directories; submodules are skipped.
 */
export function listFilesAtRev(dir: string, commitOid: string, keep: (path: string) => boolean): Promise<string[]> {
  return withContext("list-files", dir, async (ctx) => {
    const out: string[] = [];
    const skip = (name: string): boolean => name === ".git" || name === ".dvc";
    await walkTree(ctx, await rootTree(ctx, commitOid), "", skip, keep, out);
    return out.sort();
  });
}

/** Every file (blob) below directory `dirPath` (POSIX, repo-relative) in commit `commitOid`, sorted; [] when none. */
export function listFilesUnderAtRev(dir: string, commitOid: string, dirPath: string): Promise<string[]> {
  return withContext("list-files", dir, async (ctx) => {
    const rel = normalizeRepoPath(dirPath, `git revision ${commitOid}`);
    const entry = await entryAt(ctx, commitOid, rel);
    if (entry?.type !== "tree") return [];
    const out: string[] = [];
    await walkTree(
      ctx,
      entry.oid,
      rel === "" ? "" : `${rel}/`,
      () => false,
      () => true,
      out,
    );
    return out.sort();
  });
}

// ---------------------------------------------------------------- whole commits and trees (experiments)

/** "Name <email> 1700000000 +0130" → its parts (timezoneOffset in isomorphic-git's sign: minutes west). */
function parseIdent(line: string): CommitInfo["author"] {
  const m = /^(.*?) <([^>]*)> (-?\d+) ([-+])(\d{2})(\d{2})$/.exec(line);
  if (!m) return { name: line, email: "", timestamp: 0, timezoneOffset: 0 };
  const east = (m[4] === "-" ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6]));
  return { name: m[1]!, email: m[2]!, timestamp: Number(m[3]), timezoneOffset: east === 0 ? 0 : -east };
}

/** A commit's fields, or null when `oid` is not a commit in the repository. */
export function readCommit(dir: string, oid: string): Promise<CommitInfo | null> {
  return withContext("read-commit", dir, (ctx) => {
    const obj = ctx.store.read(oid);
    if (obj?.type !== "commit") return null;
    const text = obj.data.toString("utf8");
    const end = text.indexOf("\n\n");
    const head = end === -1 ? text : text.slice(0, end);
    const fields = new Map<string, string[]>();
    for (const line of head.split("\n")) {
      const sp = line.indexOf(" ");
      if (sp > 0) fields.set(line.slice(0, sp), [...(fields.get(line.slice(0, sp)) ?? []), line.slice(sp + 1)]);
    }
    return {
      oid,
      tree: fields.get("tree")?.[0] ?? "",
      parents: fields.get("parent") ?? [],
      author: parseIdent(fields.get("author")?.[0] ?? ""),
      committer: parseIdent(fields.get("committer")?.[0] ?? ""),
      message: end === -1 ? "" : text.slice(end + 2),
    };
  });
}

/**
 * Every entry of a commit's tree, recursively, by repo-relative path: blobs (files and symlinks) and gitlinks
 * (submodules), `.dvc/` and dotfiles included.
 */
export function readTreeRecursive(dir: string, commitOid: string): Promise<Map<string, TreeEntry>> {
  return withContext("read-tree", dir, async (ctx) => {
    const out = new Map<string, TreeEntry>();
    const walk = async (treeOid: string, prefix: string): Promise<void> => {
      for (const [name, e] of await treeEntries(ctx, treeOid)) {
        if (e.type === "tree") await walk(e.oid, `${prefix}${name}/`);
        else out.set(prefix + name, e);
      }
    };
    await walk(await rootTree(ctx, commitOid), "");
    return out;
  });
}

/** The bytes of blob `oid`, or null when there is no such blob. */
export function readBlobOid(dir: string, oid: string): Promise<Buffer | null> {
  return withContext("read-blob", dir, (ctx) => {
    const obj = ctx.store.read(oid);
    return obj?.type === "blob" ? obj.data : null;
  });
}

/** True when the object store (loose or packed) holds `oid`. */
export function hasObject(dir: string, oid: string): Promise<boolean> {
  return withContext("has-object", dir, (ctx) => ctx.store.read(oid) !== null);
}
