// Walks a directory output: every file (recursively) that .dvcignore does not exclude, with its stat.
// Synchronous on purpose: for 100k files sync readdir/lstat is several times faster than the thread pool.
import { existsSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { BadTargetError } from "../errors.js";
import type { DvcIgnore } from "./dvcignore.js";
import { fastLstat } from "./fast-stat.js";
import { isInside } from "./paths.js";
import { compareCodePoints as cmpCodePoints } from "../util/py-json.js";
import type { WalkJob, WalkReply } from "./walk-worker.js";

export { cmpCodePoints };

/** The few stat fields dvx uses; a small object instead of fs.Stats (which allocates four Dates). */
export interface FileStat {
  ino: number;
  size: number;
  mtimeMs: number;
  mode: number;
}

export const fileStat = (st: Stats): FileStat => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode });

export interface WalkedFile {
  /** POSIX path relative to the walked directory. */
  rel: string;
  abs: string;
  stat: FileStat;
}

export interface WalkOptions {
  repoRoot: string;
  /** Repo-relative POSIX path of the walked directory. */
  dirRel: string;
  ignore: DvcIgnore;
}

/** Lists the files of a directory output, sorted by code point of their relative path. */
export function walkFiles(opts: WalkOptions): WalkedFile[] {
  const out: WalkedFile[] = [];
  visitTree(opts, out);
  return out.sort((a, b) => cmpCodePoints(a.rel, b.rel));
}

const baseOf = (opts: WalkOptions): string => (opts.dirRel === "" ? opts.repoRoot : `${opts.repoRoot}/${opts.dirRel}`);
const repoRelOf = (opts: WalkOptions, rel: string): string =>
  opts.dirRel === "" ? rel : rel === "" ? opts.dirRel : `${opts.dirRel}/${rel}`;
const nestedDvcignore = (repoRel: string): BadTargetError =>
  new BadTargetError(
    repoRel,
    "a .dvcignore file must not be inside a tracked directory",
    "move the patterns to a .dvcignore above the directory",
  );

/** Walks the tree below `opts`' directory into `out`; top-level subdirectories in `skipTop` are left out. */
function visitTree(opts: WalkOptions, out: WalkedFile[], skipTop?: ReadonlySet<string>): void {
  const visit = (abs: string, rel: string): void => {
    const repoRelDir = repoRelOf(opts, rel);
    const check = opts.ignore.hasRulesFor(repoRelDir); // usually false: then only the built-in names apply
    for (const ent of readdirSync(abs, { withFileTypes: true })) {
      const name = ent.name;
      if (name === ".dvcignore") throw nestedDvcignore(`${repoRelDir}/${name}`);
      if (name === ".git" || name === ".hg" || name === ".dvc") continue;
      const childRel = rel === "" ? name : `${rel}/${name}`;
      const childAbs = `${abs}/${name}`;
      if (ent.isDirectory()) {
        if (rel === "" && skipTop?.has(name)) continue;
        if (check && opts.ignore.ignoresEntry(repoRelOf(opts, childRel), true)) continue;
        visit(childAbs, childRel);
      } else if (ent.isSymbolicLink()) {
        const st = followLink(opts.repoRoot, childAbs, repoRelOf(opts, childRel));
        if (st === null || st.isDirectory()) continue; // symlinked directories are not descended (as DVC)
        if (check && opts.ignore.ignoresEntry(repoRelOf(opts, childRel), false)) continue;
        out.push({ rel: childRel, abs: childAbs, stat: fileStat(st) });
      } else if (ent.isFile()) {
        if (check && opts.ignore.ignoresEntry(repoRelOf(opts, childRel), false)) continue;
        out.push({ rel: childRel, abs: childAbs, stat: fastLstat(childAbs) });
      }
    }
  };
  visit(baseOf(opts), "");
}

const WALK_WORKER_URL = new URL("./walk-worker.js", import.meta.url);
/** Below this many files (known from the last walk) a worker's start-up costs more than it saves. */
export const PARALLEL_WALK_MIN = 8000;
/** How many walks used the worker so far in this process (diagnostics and tests). */
export let parallelWalks = 0;

/**
 * walkFiles with a worker thread taking half of the top-level subdirectories, for large trees (the caller
 * passes the file count it expects). Same result, same errors; falls back to walkFiles when .dvcignore rules
 * apply below the directory (the worker matches none), when there are fewer than two subdirectories, or
 * under a TS test runner (no compiled worker).
 */
export async function walkFilesParallel(opts: WalkOptions, expectedFiles: number): Promise<WalkedFile[]> {
  if (expectedFiles < PARALLEL_WALK_MIN || opts.ignore.hasRulesFor(opts.dirRel) || !existsSync(WALK_WORKER_URL))
    return walkFiles(opts);
  const base = baseOf(opts);
  const subdirs = readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== ".git" && e.name !== ".hg" && e.name !== ".dvc")
    .map((e) => e.name);
  if (subdirs.length < 2) return walkFiles(opts);
  const theirs = subdirs.slice(0, subdirs.length >> 1);
  const job: WalkJob = { base, dirs: theirs };
  const { Worker } = await import("node:worker_threads"); // lazy: most commands never walk a large tree
  const worker = new Worker(WALK_WORKER_URL, { workerData: job });
  const reply = new Promise<WalkReply>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const out: WalkedFile[] = [];
  try {
    visitTree(opts, out, new Set(theirs));
  } finally {
    // an error here still waits for the worker (its result is dropped)
    await reply.catch(() => undefined);
  }
  const r = await reply;
  void worker.terminate();
  parallelWalks++;
  if (r.kind === "error")
    throw Object.assign(new Error(r.message), {
      ...(r.code ? { code: r.code } : {}),
      ...(r.path ? { path: r.path } : {}),
    });
  if (r.dvcignore !== undefined) throw nestedDvcignore(repoRelOf(opts, r.dvcignore));
  if (r.rels !== "") {
    const rels = r.rels.split("\0");
    for (let i = 0, k = 0; i < rels.length; i++, k += 4) {
      const rel = rels[i]!;
      out.push({
        rel,
        abs: `${base}/${rel}`,
        stat: { ino: r.stats[k]!, size: r.stats[k + 1]!, mtimeMs: r.stats[k + 2]!, mode: r.stats[k + 3]! },
      });
    }
  }
  for (const rel of r.links) {
    const st = followLink(opts.repoRoot, `${base}/${rel}`, repoRelOf(opts, rel));
    if (st !== null && !st.isDirectory()) out.push({ rel, abs: `${base}/${rel}`, stat: fileStat(st) });
  }
  return out.sort((a, b) => cmpCodePoints(a.rel, b.rel));
}

/** Stat through a symlink, refusing links that lead outside the repository. Null for a dangling link. */
export function followLink(repoRoot: string, abs: string, shown: string): Stats | null {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return null; // ENOENT/ELOOP: a dangling link is skipped, as DVC's walk does
  }
  if (!isInside(realpathSync(repoRoot), real)) {
    throw new BadTargetError(
      shown,
      "it is a symlink that points outside the repository",
      "copy the data into the repository instead of linking it",
    );
  }
  return statSync(real);
}
