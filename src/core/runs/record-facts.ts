// The facts a run record keeps about where a run happened: the git state (commit, branch, uncommitted files, one
// `git status` call), the environment (dvx, Node, git and OS versions, CPUs, hashes of the dependency lockfiles
// present) and the user and host. Read through the system git, as the user sees the repository.
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { availableParallelism, hostname, platform, release, userInfo } from "node:os";
import { join } from "node:path";
import { GitNotFoundError, runGit } from "../../git/system-git.js";
import { dvxVersion } from "../../version.js";
import type { RunRecord } from "./record.js";

type Env = Record<string, string | undefined>;

/** Dependency lockfiles (and pinned requirement lists) whose hashes a record keeps, by file name. */
const LOCKFILES = [
  /^package-lock\.json$/,
  /^npm-shrinkwrap\.json$/,
  /^yarn\.lock$/,
  /^pnpm-lock\.yaml$/,
  /^bun\.lockb?$/,
  /^requirements.*\.(txt|in)$/,
  /^constraints.*\.txt$/,
  /^poetry\.lock$/,
  /^uv\.lock$/,
  /^pdm\.lock$/,
  /^Pipfile\.lock$/,
  /^pixi\.lock$/,
  /^environment.*\.ya?ml$/,
  /^conda-lock\.ya?ml$/,
  /^Cargo\.lock$/,
  /^go\.sum$/,
  /^renv\.lock$/,
  /^Gemfile\.lock$/,
  /^composer\.lock$/,
];

/** At most this many uncommitted paths are listed (`changedTotal` says how many there were). */
const MAX_CHANGED = 500;

export const newRunId = (now = new Date()): string =>
  `${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${randomBytes(3).toString("hex")}`;

/** `git <args>`: stdout, or null when git is missing or fails. */
async function gitOut(cwd: string, args: string[], env: Env): Promise<string | null> {
  try {
    const r = await runGit(cwd, args, env);
    return r.code === 0 ? r.stdout : null;
  } catch (e) {
    if (e instanceof GitNotFoundError) return null;
    throw e;
  }
}

async function names(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? [] : Promise.reject(e)));
}

/** Lockfiles at the top of `root` and in a `requirements/` directory → "sha256:<hex>". */
async function lockfileHashes(root: string): Promise<Record<string, string>> {
  const found = (await names(root)).filter((n) => LOCKFILES.some((re) => re.test(n)));
  const reqs = (await names(join(root, "requirements"))).filter((n) => /\.(txt|in)$/.test(n));
  const out: Record<string, string> = {};
  for (const rel of [...found, ...reqs.map((n) => `requirements/${n}`)].sort()) {
    const data = await fs.readFile(join(root, rel)).catch(() => null); // a directory or unreadable: skip it
    if (data) out[rel] = `sha256:${createHash("sha256").update(data).digest("hex")}`;
  }
  return out;
}

/** Paths of `git status --porcelain=v2 -z` records (renames: the new path), git-root relative. */
export function parseStatusV2(text: string): { commit: string | null; branch: string | null; changed: string[] } {
  let commit: string | null = null;
  let branch: string | null = null;
  const changed: string[] = [];
  const items = text.split("\0");
  const after = (s: string, spaces: number): string => {
    let i = -1;
    for (let n = 0; n < spaces; n++) i = s.indexOf(" ", i + 1);
    return s.slice(i + 1);
  };
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.startsWith("# branch.oid ")) commit = /^[0-9a-f]{40}$/.test(it.slice(13)) ? it.slice(13) : null;
    else if (it.startsWith("# branch.head ")) branch = it.slice(14) === "(detached)" ? null : it.slice(14);
    else if (it.startsWith("1 ")) changed.push(after(it, 8));
    else if (it.startsWith("2 ")) {
      changed.push(after(it, 9));
      i++; // the original path of the rename
    } else if (it.startsWith("u ")) changed.push(after(it, 10));
    else if (it.startsWith("? ")) changed.push(it.slice(2));
  }
  return { commit, branch, changed };
}

/** The git commit, branch and uncommitted files of the work tree at `root` (nulls without git). */
export async function gitState(root: string, env: Env): Promise<RunRecord["git"]> {
  // no optional locks: a stage command running git at the same moment must not find index.lock taken
  const args = ["--no-optional-locks", "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=normal"];
  const out = await gitOut(root, args, env);
  const s = parseStatusV2(out ?? "");
  const changed = s.changed.filter((p) => !/(^|\/)\.dvc\/tmp(\/|$)/.test(p)).sort();
  return {
    commit: s.commit,
    branch: s.branch,
    dirty: changed.length > 0,
    changed: changed.slice(0, MAX_CHANGED),
    ...(changed.length > MAX_CHANGED ? { changedTotal: changed.length } : {}),
  };
}

export async function environmentFacts(root: string, env: Env): Promise<RunRecord["environment"]> {
  const [git, lockfiles] = await Promise.all([gitOut(root, ["--version"], env), lockfileHashes(root)]);
  return {
    dvx: dvxVersion(),
    node: process.versions.node,
    git: git?.trim().replace(/^git version /, "") ?? null,
    os: `${platform()} ${release()}`,
    cpus: availableParallelism(),
    lockfiles,
  };
}

export function userAndHost(): { user: string; host: string } {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // ENOENT-like: no passwd entry for this uid (containers); keep "unknown"
  }
  return { user, host: hostname() };
}
