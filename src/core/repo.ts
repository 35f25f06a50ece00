// The Repo context record: where things are, the merged config, the cache and the stat cache.
// Deliberately a plain record; every op is a free function taking it.
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { NotARepoError, NotInitializedError, SubdirProjectError } from "../errors.js";
import { DvcIgnore } from "../fsx/dvcignore.js";
import { findGitRoot } from "../git/find-git-root.js";
import type { LinkType } from "../odb/link.js";
import { LocalOdb } from "../odb/local-odb.js";
import { HashState } from "../odb/state.js";
import type { Reporter } from "./reporter.js";
import type { HashContext, HashedPath } from "./data/workspace-hash.js";
import { readSettings, type Settings } from "./settings.js";

export interface Repo {
  root: string;
  dotDir: string;
  tmpDir: string;
  /** True when the repo is in git (false with core.no_scm). */
  scm: boolean;
  settings: Settings;
  odb: LocalOdb;
  ignore: DvcIgnore;
  env: Record<string, string | undefined>;
  /** The directory dvx was started in (absolute); DVC-style cwd-relative names are computed from it. */
  cwd: string;
  umask: number;
  reporter: Reporter;
  /** How long a writer waits for the repository lock: DVX_LOCK_TIMEOUT seconds, else 20 s. */
  lockTimeoutMs: number;
  /**
   * Set by an operation that looks at the same paths several times while nothing writes them (repro: a .dvc
   * source and the stage depending on it); cleared whenever a stage command runs. Unset: every hash is taken anew.
   */
  hashMemo?: Map<string, Promise<HashedPath | null>>;
  /** The stat-keyed hash cache, loaded on first use. */
  state(): HashState;
  hashContext(): HashContext;
  linkTypes: LinkType[];
}

export interface OpenOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  umask: number;
  reporter: Reporter;
}

/** Walks up from `start` to the directory holding `.dvc/` (a directory). */
export function findRepoRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    try {
      if (statSync(join(dir, ".dvc")).isDirectory()) return dir;
    } catch {
      // ENOENT: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Refuses a DVC project (with git) that is not at the top of its git work tree: NotARepo or SubdirProject. */
export async function checkGitTop(root: string): Promise<void> {
  const top = await findGitRoot(root);
  if (top === null) throw new NotARepoError(root);
  if (top !== resolve(root)) throw new SubdirProjectError(resolve(root), top);
}

export async function openRepo(opts: OpenOptions): Promise<Repo> {
  const root = findRepoRoot(opts.cwd);
  if (!root) {
    if ((await findGitRoot(opts.cwd)) === null) throw new NotARepoError(opts.cwd);
    throw new NotInitializedError(opts.cwd);
  }
  const dotDir = join(root, ".dvc");
  const settings = await readSettings(dotDir, opts.env);
  const scm = !settings.noScm;
  // revisions (diffs, experiments, reports) are read at the top of the work tree: a project below it would be
  // read wrong, so it is refused at once rather than half-working
  if (scm) await checkGitTop(root);
  const tmpDir = join(dotDir, "tmp");
  let state: HashState | undefined;
  const repo: Repo = {
    root,
    dotDir,
    tmpDir,
    scm,
    settings,
    odb: new LocalOdb(settings.cacheDir),
    ignore: new DvcIgnore(root),
    env: opts.env,
    cwd: resolve(opts.cwd),
    umask: opts.umask,
    reporter: opts.reporter,
    lockTimeoutMs: lockTimeoutMs(opts.env),
    linkTypes: settings.linkTypes,
    state: () => (state ??= HashState.load(join(tmpDir, "dvx-hashes"), join(tmpDir, "dvx-dirs"))),
    hashContext: () => ({
      root,
      odb: repo.odb,
      state: repo.state(),
      ignore: repo.ignore,
      reporter: repo.reporter,
      jobs: settings.checksumJobs,
      ...(repo.hashMemo ? { memo: repo.hashMemo } : {}),
    }),
  };
  return repo;
}

/** DVX_LOCK_TIMEOUT (seconds, >= 0) or 20 s. */
export function lockTimeoutMs(env: Record<string, string | undefined>): number {
  const raw = env.DVX_LOCK_TIMEOUT;
  const v = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(v) && v >= 0 ? v * 1000 : 20_000;
}
