// Small helpers shared by the git adapter modules (none of them touches isomorphic-git).

import path from "node:path";
import { BadTargetError, UnsafePathError } from "../errors.js";

/** The `code` of an isomorphic-git or Node error, if any. */
export function errorCode(e: unknown): string | undefined {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** True for "does not exist" failures: ENOENT, ENOTDIR, isomorphic-git's NotFoundError. */
export function isMissing(e: unknown): boolean {
  const code = errorCode(e);
  return code === "ENOENT" || code === "ENOTDIR" || code === "NotFoundError";
}

/**
 * Normalises a repo-relative POSIX path ("./a//b/" → "a/b", "" for the root).
 * Absolute paths and paths that climb out with ".." throw UnsafePathError.
 */
export function normalizeRepoPath(p: string, source: string): string {
  const n = path.posix.normalize(p === "" ? "." : p);
  if (path.posix.isAbsolute(n) || n === ".." || n.startsWith("../")) throw new UnsafePathError(p, source);
  return n === "." ? "" : n.replace(/\/+$/, "");
}

/** Repo-relative POSIX form of a user path (absolute, or relative to `root`); BadTargetError outside it. */
export function repoRelative(root: string, p: string): string {
  const rel = path.isAbsolute(p) ? path.relative(root, p).split(path.sep).join("/") : p;
  try {
    return normalizeRepoPath(rel, "git");
  } catch (e) {
    if (e instanceof UnsafePathError) throw new BadTargetError(p, "it is outside the repository");
    throw e;
  }
}
