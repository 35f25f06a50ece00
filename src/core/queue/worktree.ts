// A queued experiment's isolated workspace: a git worktree (system git) at .dvc/tmp/dvx-queue/wt/<id>, detached at
// the baseline, whose index and files are the stash commit's tree, plus its untracked files written beside them
// (not in the index, as they were not in the user's). The worktree's .dvc/config.local points at the main
// repository's cache (shared: objects are written atomically) and makes every path in the config absolute, so
// remotes and the cache resolve as in the main workspace. Removing it removes the directory and git's admin entry.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { emptyConfigData, isPathKey, resolveConfigPath, sectionOf, type ConfigData } from "../../config/config-data.js";
import { readConfigFile, writeConfigFile } from "../../config/config-file.js";
import { DVX_CONFIG_LOCAL } from "../../config/files.js";
import { readCommit } from "../../git/git-read.js";
import { runGit } from "../../git/system-git.js";
import { QueueWorkspaceError } from "../../exp/queue-errors.js";
import type { Repo } from "../repo.js";
import type { QueueTask } from "./store.js";

type Env = Record<string, string | undefined>;

async function git(cwd: string, args: string[], env: Env, task: QueueTask): Promise<void> {
  const r = await runGit(cwd, args, env);
  if (r.code !== 0) throw new QueueWorkspaceError(task.name, `git ${args[0]} failed: ${r.stderr.trim()}`);
}

/** Every option of a config file's sections as (section kind, options) pairs. */
function* sections(data: ConfigData): Generator<[string, string | undefined, Map<string, unknown>]> {
  for (const [name, options] of data.sections) yield [name, undefined, options];
  for (const kind of ["remote", "machine", "db"] as const)
    for (const [name, options] of data[kind]) yield [kind, name, options];
}

/** The worktree's config.local: the main repo's local options and every path option, absolute; the shared cache. */
async function shareConfig(repo: Repo, dotDir: string): Promise<void> {
  const out = emptyConfigData();
  const copy = (data: ConfigData, onlyPaths: boolean): void => {
    for (const [kind, name, options] of sections(data)) {
      for (const [key, value] of options) {
        const isPath = isPathKey(kind, key) && typeof value === "string";
        if (onlyPaths && !isPath) continue;
        const v = isPath ? resolveConfigPath(value, repo.dotDir) : value;
        sectionOf(out, kind, name).set(key, v as string);
      }
    }
  };
  copy((await readConfigFile(path.join(repo.dotDir, "config"))).data, true);
  copy((await readConfigFile(path.join(repo.dotDir, "config.local"))).data, false);
  sectionOf(out, "cache").set("dir", repo.settings.cacheDir);
  await mkdir(dotDir, { recursive: true });
  await writeConfigFile(path.join(dotDir, "config.local"), out);
  const dvxLocal = path.join(repo.dotDir, DVX_CONFIG_LOCAL);
  if (existsSync(dvxLocal)) await copyFile(dvxLocal, path.join(dotDir, DVX_CONFIG_LOCAL));
}

/** Creates the worktree of `task` at `dir` (replacing a stale one); returns the DVC project root inside it. */
export async function createWorktree(repo: Repo, gitRoot: string, task: QueueTask, dir: string): Promise<string> {
  const env = { ...repo.env, GIT_INDEX_FILE: undefined };
  await removeWorktree(dir);
  await mkdir(path.dirname(dir), { recursive: true });
  try {
    await git(gitRoot, ["worktree", "add", "--force", "--detach", "--no-checkout", dir, task.baseline], env, task);
    await git(dir, ["read-tree", "--reset", "-u", `${task.stash}^{tree}`], env, task);
    const untracked = (await readCommit(gitRoot, task.stash))?.parents[1];
    if (untracked !== undefined) {
      const index = path.join(path.dirname(dir), `.${task.id}.untracked-index`);
      try {
        await git(dir, ["read-tree", "--reset", "-u", `${untracked}^{tree}`], { ...env, GIT_INDEX_FILE: index }, task);
      } finally {
        await rm(index, { force: true });
      }
    }
    const root = path.join(dir, ...task.prefix.split("/").filter(Boolean));
    await shareConfig(repo, path.join(root, ".dvc"));
    return root;
  } catch (e) {
    await removeWorktree(dir);
    throw e;
  }
}

/** The worktree's admin directory in the main git dir (from its .git file), or null. */
function adminDir(dir: string): string | null {
  try {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(path.join(dir, ".git"), "utf8"));
    return m?.[1] !== undefined ? path.resolve(dir, m[1]) : null;
  } catch {
    return null;
  }
}

/** Removes the worktree directory and its admin entry (what `git worktree remove --force` does). */
export async function removeWorktree(dir: string): Promise<void> {
  const admin = adminDir(dir);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  if (admin !== null && path.basename(path.dirname(admin)) === "worktrees")
    await rm(admin, { recursive: true, force: true });
}

/** removeWorktree without awaiting (for the exit path). */
export function removeWorktreeSync(dir: string): void {
  const admin = adminDir(dir);
  rmSync(dir, { recursive: true, force: true });
  if (admin !== null && path.basename(path.dirname(admin)) === "worktrees")
    rmSync(admin, { recursive: true, force: true });
}
