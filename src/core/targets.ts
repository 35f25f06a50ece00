// Turns user-given paths (relative to the cwd) into repo-relative POSIX paths, refusing unsafe ones.
import { resolve } from "node:path";
import { BadTargetError } from "../errors.js";
import { isInside, relPosix } from "../fsx/paths.js";
import type { Repo } from "./repo.js";

export function resolveTarget(repo: Repo, cwd: string, target: string): string {
  const abs = resolve(cwd, target);
  if (!isInside(repo.root, abs)) {
    throw new BadTargetError(
      target,
      "it is outside the repository",
      `use a path inside '${repo.root}' (dvx add -o <path> <source> copies outside data in)`,
    );
  }
  const rel = relPosix(repo.root, abs);
  if (rel === "") throw new BadTargetError(target, "it is the repository root", "track a file or a sub-directory");
  const first = rel.split("/")[0];
  if (first === ".dvc" || first === ".git" || rel.split("/").includes(".git")) {
    throw new BadTargetError(target, `it is inside '${first}/', which dvx and git manage`);
  }
  return rel;
}

/** Display form of a repo-relative path for messages ("data/x.csv"). */
export const shown = (rel: string): string => rel;
