// The only importer of isomorphic-git. It is loaded lazily (about 70 ms) and cached; every call
// takes the work tree root `dir` explicitly. Objects are immutable, so parsed commits and trees
// are cached per repository for the life of the process; refs are always read fresh.

import * as nodeFs from "node:fs";
import { lstat, stat } from "node:fs/promises";
import path from "node:path";
import { AppError, BadTargetError, NotARepoError, RevisionNotFoundError } from "../errors.js";
import { gitDirOf } from "./find-git-root.js";
import { AmbiguousRevisionError, GitError, UnsupportedRepositoryError } from "./git-errors.js";
import { errorCode, isMissing, normalizeRepoPath, repoRelative } from "./git-util.js";
import { limiter } from "../util/pool.js";
import { directoryQueryFs, fileQueryFs } from "./ignore-query-fs.js";
import type { GitAuthor, GitObjectInfo, IndexSnapshot, RefList, RepoContext, TreeEntry } from "./git-types.js";

export { findGitRoot } from "./find-git-root.js";
export type { GitAuthor, GitObjectInfo, RefList, TreeEntry } from "./git-types.js";

/** The module's shape, for types only: the module itself is imported on first use. */
type Git = typeof import("isomorphic-git");

const DEFAULT_AUTHOR: GitAuthor = { name: "dvx", email: "dvx@localhost" };
const OBJECT_READ_CONCURRENCY = 32;

let loading: Promise<Git> | undefined;
const loadGit = (): Promise<Git> => (loading ??= import("isomorphic-git"));
const contexts = new Map<string, RepoContext>();

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    (e: unknown) => {
      if (isMissing(e)) return false;
      throw e;
    },
  );

/** Translates a failure at this adapter's boundary; programming errors pass through untouched. */
function translate(e: unknown, operation: string, dir: string): unknown {
  if (e instanceof AppError || errorCode(e) === undefined) return e;
  return new GitError(operation, dir, e);
}

async function context(dir: string): Promise<RepoContext> {
  const root = path.resolve(dir);
  const known = contexts.get(root);
  if (known) return known;
  const gitdir = await gitDirOf(root);
  if (gitdir === null) throw new NotARepoError(root);
  // A linked worktree keeps refs and objects in a "commondir" that isomorphic-git does not follow.
  if (await exists(path.join(gitdir, "commondir")))
    throw new UnsupportedRepositoryError(root, "linked worktrees are not supported");
  const ctx: RepoContext = {
    dir: root,
    gitdir,
    cache: {},
    objects: new Map(),
    trees: new Map(),
    limit: limiter(OBJECT_READ_CONCURRENCY),
  };
  contexts.set(root, ctx);
  return ctx;
}

/** Loads isomorphic-git and the repository context, and translates whatever `fn` throws. */
async function withGit<T>(operation: string, dir: string, fn: (git: Git, ctx: RepoContext) => Promise<T>): Promise<T> {
  try {
    const [git, ctx] = await Promise.all([loadGit(), context(dir)]);
    return await fn(git, ctx);
  } catch (e) {
    throw translate(e, operation, path.resolve(dir));
  }
}

/** Forgets cached objects, trees and index data (all repositories, or one). */
export function clearGitCache(dir?: string): void {
  if (dir === undefined) contexts.clear();
  else contexts.delete(path.resolve(dir));
}

// ---------------------------------------------------------------- discovery and refs

/**
 * The oid a ref points to (symbolic refs followed), or null when the ref does not exist.
 * `ref` is exact: "HEAD", "refs/heads/main".
 */
export function resolveRefExact(dir: string, ref: string): Promise<string | null> {
  return withGit("resolve-ref", dir, async (git, ctx) => {
    try {
      return await git.resolveRef({ fs: nodeFs, gitdir: ctx.gitdir, ref });
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  });
}

/** Full names of every ref under refs/ (loose and packed), e.g. "refs/remotes/origin/main". */
export function listRefNames(dir: string): Promise<Set<string>> {
  return withGit("list-refs", dir, async (git, ctx) => {
    const names = await git.listRefs({ fs: nodeFs, gitdir: ctx.gitdir, filepath: "refs" });
    return new Set(names.map((n) => `refs/${n}`));
  });
}

/** The full oid for a hex prefix, or null when nothing matches; AmbiguousRevisionError for several. */
export function expandShortOid(dir: string, prefix: string): Promise<string | null> {
  return withGit("expand-oid", dir, async (git, ctx) => {
    try {
      return await git.expandOid({ fs: nodeFs, gitdir: ctx.gitdir, oid: prefix, cache: ctx.cache });
    } catch (e) {
      if (errorCode(e) === "AmbiguousError") {
        const matches = (e as { data?: { matches?: string[] } }).data?.matches ?? [];
        throw new AmbiguousRevisionError(prefix, matches);
      }
      if (isMissing(e)) return null;
      throw e;
    }
  });
}

/** Type and links of an object (commits and tags parsed), or null when it does not exist. */
export function readObjectInfo(dir: string, oid: string): Promise<GitObjectInfo | null> {
  return withGit("read-object", dir, (git, ctx) => objectInfo(git, ctx, oid));
}

function objectInfo(git: Git, ctx: RepoContext, oid: string): Promise<GitObjectInfo | null> {
  let pending = ctx.objects.get(oid);
  if (pending === undefined) {
    pending = ctx.limit(async () => {
      try {
        const { type, object } = await git.readObject({
          fs: nodeFs,
          gitdir: ctx.gitdir,
          oid,
          format: "parsed",
          cache: ctx.cache,
        });
        if (type === "commit") {
          const c = object as { tree: string; parent: string[]; committer: { timestamp: number } };
          return { type, oid, tree: c.tree, parents: [...c.parent], time: c.committer.timestamp };
        }
        if (type === "tag") return { type, oid, target: (object as { object: string }).object };
        return { type: type === "tree" ? "tree" : "blob", oid };
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    });
    ctx.objects.set(oid, pending);
    // Objects never change, but a missing one may arrive later (fetch): forget misses and failures.
    pending.then(
      (info) => info === null && ctx.objects.delete(oid),
      () => ctx.objects.delete(oid),
    );
  }
  return pending;
}

/** Follows annotated tags down to a commit; null when `oid` is missing or not a commit-ish. */
export function peelToCommit(dir: string, oid: string): Promise<string | null> {
  return withGit("peel", dir, (git, ctx) => peel(git, ctx, oid));
}

async function peel(git: Git, ctx: RepoContext, oid: string): Promise<string | null> {
  let current = oid;
  for (let depth = 0; depth < 20; depth++) {
    const info = await objectInfo(git, ctx, current);
    if (info?.type === "commit") return info.oid;
    if (info?.type !== "tag") return null;
    current = info.target;
  }
  return null;
}

/** Local branches and tags (tags peeled to commits; tags of trees/blobs are left out), sorted by name. */
export function listRefs(dir: string): Promise<RefList> {
  return withGit("list-refs", dir, async (git, ctx) => {
    const gitdir = ctx.gitdir;
    const [branchNames, tagNames] = await Promise.all([
      git.listBranches({ fs: nodeFs, gitdir }),
      git.listTags({ fs: nodeFs, gitdir }),
    ]);
    const branches = await Promise.all(
      branchNames.map(async (name) => ({
        name,
        oid: await git.resolveRef({ fs: nodeFs, gitdir, ref: `refs/heads/${name}` }),
      })),
    );
    const tags = await Promise.all(
      tagNames.map(async (name) => {
        const oid = await peel(git, ctx, await git.resolveRef({ fs: nodeFs, gitdir, ref: `refs/tags/${name}` }));
        return oid === null ? null : { name, oid };
      }),
    );
    const byName = (a: { name: string }, b: { name: string }): number =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    return {
      branches: branches.sort(byName),
      tags: tags.filter((t): t is { name: string; oid: string } => t !== null).sort(byName),
    };
  });
}

/** The checked-out branch ("main"), or null when HEAD is detached. */
export function currentBranch(dir: string): Promise<string | null> {
  return withGit("current-branch", dir, async (git, ctx) => {
    return (await git.currentBranch({ fs: nodeFs, gitdir: ctx.gitdir, fullname: false })) ?? null;
  });
}

/** The commit HEAD points to, or null in a repository without commits. */
export function headOid(dir: string): Promise<string | null> {
  return resolveRefExact(dir, "HEAD");
}

/**
 * Every commit reachable from HEAD and the refs under refs/ (like `git rev-list --all`), newest first
 * (committer time; ties by oid).
 */
export function listAllCommits(dir: string): Promise<string[]> {
  return withGit("rev-list", dir, async (git, ctx) => {
    const names = await git.listRefs({ fs: nodeFs, gitdir: ctx.gitdir, filepath: "refs" });
    const starts = await Promise.all(
      ["HEAD", ...names.map((n) => `refs/${n}`)].map(async (ref) => {
        try {
          return await peel(git, ctx, await git.resolveRef({ fs: nodeFs, gitdir: ctx.gitdir, ref }));
        } catch (e) {
          if (isMissing(e)) return null; // HEAD of a repository without commits
          throw e;
        }
      }),
    );
    const seen = new Map<string, number>();
    let frontier = starts.filter((o): o is string => o !== null);
    while (frontier.length > 0) {
      const next: string[] = [];
      const infos = await Promise.all(frontier.filter((o) => !seen.has(o)).map((o) => objectInfo(git, ctx, o)));
      for (const info of infos) {
        if (info?.type !== "commit" || seen.has(info.oid)) continue;
        seen.set(info.oid, info.time);
        next.push(...info.parents);
      }
      frontier = next;
    }
    return [...seen].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([oid]) => oid);
  });
}

// ---------------------------------------------------------------- trees at a revision

function treeEntries(git: Git, ctx: RepoContext, oid: string): Promise<Map<string, TreeEntry>> {
  let pending = ctx.trees.get(oid);
  if (pending === undefined) {
    pending = ctx.limit(async () => {
      const { tree } = await git.readTree({ fs: nodeFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
      return new Map(tree.map((e) => [e.path, { mode: e.mode, oid: e.oid, type: e.type }] as const));
    });
    ctx.trees.set(oid, pending);
    pending.catch(() => ctx.trees.delete(oid));
  }
  return pending;
}

/** The root tree of a commit (a tag is peeled; a tree oid is taken as is). */
async function rootTree(git: Git, ctx: RepoContext, oid: string): Promise<string> {
  if (!/^[0-9a-f]{40}$/.test(oid)) throw new RevisionNotFoundError(oid);
  const info = await objectInfo(git, ctx, oid);
  if (info?.type === "tree") return info.oid;
  const commit = info?.type === "tag" ? await peel(git, ctx, oid) : info?.oid;
  const peeled = commit === undefined || commit === null ? null : await objectInfo(git, ctx, commit);
  if (peeled?.type !== "commit") throw new RevisionNotFoundError(oid);
  return peeled.tree;
}

/** The bytes of `filePath` (POSIX, repo-relative) in commit `commitOid`, or null when it is not a file there. */
export function readFileAtRev(dir: string, commitOid: string, filePath: string): Promise<Buffer | null> {
  return withGit("read-file", dir, async (git, ctx) => {
    const rel = normalizeRepoPath(filePath, `git revision ${commitOid}`);
    if (rel === "") return null;
    let entry: TreeEntry | undefined = { mode: "040000", oid: await rootTree(git, ctx, commitOid), type: "tree" };
    for (const name of rel.split("/")) {
      if (entry?.type !== "tree") return null;
      entry = (await treeEntries(git, ctx, entry.oid)).get(name);
    }
    if (entry?.type !== "blob") return null;
    const { blob } = await ctx.limit(() =>
      git.readBlob({ fs: nodeFs, gitdir: ctx.gitdir, oid: entry.oid, cache: ctx.cache }),
    );
    return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  });
}

/**
 * Every file (blob, including symlinks) in commit `commitOid` for which `keep` is true, sorted.
 * Never descends into `.git` or `.dvc` directories; submodules are skipped.
 */
export function listFilesAtRev(dir: string, commitOid: string, keep: (path: string) => boolean): Promise<string[]> {
  return withGit("list-files", dir, async (git, ctx) => {
    const out: string[] = [];
    const walk = async (treeOid: string, prefix: string): Promise<void> => {
      const subtrees: Promise<void>[] = [];
      for (const [name, e] of await treeEntries(git, ctx, treeOid)) {
        const p = prefix + name;
        if (e.type === "tree") {
          if (name !== ".git" && name !== ".dvc") subtrees.push(walk(e.oid, `${p}/`));
        } else if (e.type === "blob" && keep(p)) out.push(p);
      }
      await Promise.all(subtrees);
    };
    await walk(await rootTree(git, ctx, commitOid), "");
    return out.sort();
  });
}

/** Every file (blob) below directory `dirPath` (POSIX, repo-relative) in commit `commitOid`, sorted; [] when none. */
export function listFilesUnderAtRev(dir: string, commitOid: string, dirPath: string): Promise<string[]> {
  return withGit("list-files", dir, async (git, ctx) => {
    const rel = normalizeRepoPath(dirPath, `git revision ${commitOid}`);
    let entry: TreeEntry | undefined = { mode: "040000", oid: await rootTree(git, ctx, commitOid), type: "tree" };
    for (const name of rel === "" ? [] : rel.split("/")) {
      if (entry?.type !== "tree") return [];
      entry = (await treeEntries(git, ctx, entry.oid)).get(name);
    }
    if (entry?.type !== "tree") return [];
    const out: string[] = [];
    const walk = async (treeOid: string, prefix: string): Promise<void> => {
      const subtrees: Promise<void>[] = [];
      for (const [name, e] of await treeEntries(git, ctx, treeOid)) {
        if (e.type === "tree") subtrees.push(walk(e.oid, `${prefix}${name}/`));
        else if (e.type === "blob") out.push(prefix + name);
      }
      await Promise.all(subtrees);
    };
    await walk(entry.oid, rel === "" ? "" : `${rel}/`);
    return out.sort();
  });
}

// ---------------------------------------------------------------- index, ignores, writes

async function indexSnapshot(git: Git, ctx: RepoContext): Promise<IndexSnapshot> {
  const file = path.join(ctx.gitdir, "index");
  const st = await stat(file).catch((e: unknown) => {
    if (isMissing(e)) return null;
    throw e;
  });
  const signature = st === null ? "none" : `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  if (ctx.index?.signature === signature) return ctx.index;
  const files =
    st === null ? [] : await git.listFiles({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, cache: ctx.cache });
  const dirs = new Set<string>();
  for (const f of files) {
    for (let i = f.indexOf("/"); i !== -1; i = f.indexOf("/", i + 1)) dirs.add(f.slice(0, i));
  }
  ctx.index = { signature, files: new Set(files), dirs };
  return ctx.index;
}

/** True when the index holds `p` (a file) or any file below it (a directory). */
export function isTracked(dir: string, p: string): Promise<boolean> {
  return withGit("ls-files", dir, async (git, ctx) => {
    const rel = repoRelative(ctx.dir, p);
    const index = await indexSnapshot(git, ctx);
    return rel === "" ? index.files.size > 0 : index.files.has(rel) || index.dirs.has(rel);
  });
}

/**
 * True when `p` is excluded by .gitignore files (nested ones included) or .git/info/exclude,
 * like `git check-ignore --no-index`: a path below an ignored directory is ignored too.
 * Whether the path is tracked does not matter. Directories are recognised on disk.
 */
export function isIgnored(dir: string, p: string): Promise<boolean> {
  return withGit("check-ignore", dir, async (git, ctx) => {
    const rel = repoRelative(ctx.dir, p);
    if (rel === "") return false;
    const parts = rel.split("/");
    if (parts.includes(".git")) return true;
    const leafIsDir = await stat(path.join(ctx.dir, rel)).then(
      (s) => s.isDirectory(),
      (e: unknown) => {
        if (isMissing(e)) return false;
        throw e;
      },
    );
    for (let i = 1; i <= parts.length; i++) {
      const isDir = i < parts.length || leafIsDir;
      const filepath = parts.slice(0, i).join("/") + (isDir ? "/" : "");
      const fs = isDir ? directoryQueryFs : fileQueryFs(ctx.dir, rel);
      if (await git.isIgnored({ fs, dir: ctx.dir, gitdir: ctx.gitdir, filepath })) return true;
    }
    return false;
  });
}

/** Stages `paths` (repo-relative or absolute): existing files/dirs are added, vanished ones removed from the index. */
export function gitAdd(dir: string, paths: string[]): Promise<void> {
  return withGit("add", dir, async (git, ctx) => {
    const present: string[] = [];
    const gone: string[] = [];
    for (const p of paths) {
      const rel = repoRelative(ctx.dir, p);
      if (rel === "") throw new BadTargetError(p, "it is the repository root");
      const exists = await lstat(path.join(ctx.dir, rel)).then(
        () => true,
        (e: unknown) => {
          if (isMissing(e)) return false;
          throw e;
        },
      );
      (exists ? present : gone).push(rel);
    }
    ctx.index = undefined;
    if (present.length > 0)
      await git.add({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, filepath: present, cache: ctx.cache });
    for (const filepath of gone)
      await git.remove({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, filepath, cache: ctx.cache });
  });
}

/** Commits the index on the current branch; returns the new commit oid. Author: given, else git config, else "dvx". */
export function commit(dir: string, message: string, author?: GitAuthor): Promise<string> {
  return withGit("commit", dir, async (git, ctx) => {
    let who = author;
    if (who === undefined) {
      const [name, email] = await Promise.all([
        git.getConfig({ fs: nodeFs, gitdir: ctx.gitdir, path: "user.name" }) as Promise<unknown>,
        git.getConfig({ fs: nodeFs, gitdir: ctx.gitdir, path: "user.email" }) as Promise<unknown>,
      ]);
      who = typeof name === "string" && typeof email === "string" ? { name, email } : DEFAULT_AUTHOR;
    }
    return git.commit({ fs: nodeFs, dir: ctx.dir, gitdir: ctx.gitdir, message, author: who, cache: ctx.cache });
  });
}

/** `git init` with `defaultBranch` (default "main"). */
export async function initRepo(dir: string, opts: { defaultBranch?: string } = {}): Promise<void> {
  const git = await loadGit();
  const root = path.resolve(dir);
  try {
    await git.init({ fs: nodeFs, dir: root, defaultBranch: opts.defaultBranch ?? "main" });
  } catch (e) {
    throw translate(e, "init", root);
  }
  contexts.delete(root);
}
