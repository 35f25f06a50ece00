// Files to `git add` after an op: staged automatically with core.autostage, else returned as a hint.
import type { Repo } from "./repo.js";

export interface GitFollowups {
  /** Repo-relative paths the user should `git add` (empty when autostaged or no git). */
  gitAdd: string[];
  /** True when dvx staged them itself (core.autostage). */
  staged: boolean;
}

export async function applyGitFollowups(repo: Repo, paths: Iterable<string>): Promise<GitFollowups> {
  const list = [...new Set(paths)].sort();
  if (!repo.scm || list.length === 0) return { gitAdd: [], staged: false };
  if (repo.settings.autostage) {
    const { gitAdd } = await import("../git/git.js");
    await gitAdd(repo.root, list);
    return { gitAdd: list, staged: true };
  }
  return { gitAdd: list, staged: false };
}
