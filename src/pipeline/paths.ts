// POSIX path helpers for paths read from dvc.yaml / dvc.lock: join against a repo-relative base and
// refuse anything that is absolute or leaves the repository.
import { posix } from "node:path";
import { UnsafePathError } from "../errors.js";

/** Directory part of a repo-relative POSIX path; "" for a file at the root. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** True for URLs (`s3://…`), absolute POSIX paths and Windows drive paths. */
export function isExternalPath(decl: string): boolean {
  return (
    /^[A-Za-z][\w+.-]*:\/\//.test(decl) ||
    decl.startsWith("/") ||
    /^[A-Za-z]:[\\/]/.test(decl) ||
    decl.startsWith("\\\\")
  );
}

/**
 * Joins `decl` (relative to `base`, itself repo-relative) into a normalised repo-relative path,
 * or returns null when the result is absolute or escapes the repository.
 */
export function tryJoinRepo(base: string, decl: string): string | null {
  if (decl === "" || isExternalPath(decl)) return null;
  const joined = posix.normalize(base === "" ? decl : `${base}/${decl}`);
  const clean = joined.replace(/\/+$/, "");
  if (clean === "." || clean === "") return "";
  if (clean === ".." || clean.startsWith("../")) return null;
  return clean;
}

/** Like tryJoinRepo but throws UnsafePathError naming `source` (the dvc.yaml or dvc.lock). */
export function joinRepo(base: string, decl: string, source: string): string {
  const p = tryJoinRepo(base, decl);
  if (p === null) throw new UnsafePathError(decl, source);
  return p;
}

/** Normalises a path as written (relative to some wdir) for comparisons: "./a//b/" → "a/b". */
export function normalizeDecl(decl: string): string {
  const n = posix.normalize(decl).replace(/\/+$/, "");
  return n === "." ? "" : n;
}
