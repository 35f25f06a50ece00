// Path helpers: POSIX repo-relative paths everywhere inside dvx, and guards against escaping a root.
import { realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, sep } from "node:path";
import { UnsafePathError } from "../errors.js";

export const toPosix = (p: string): string => (sep === "/" ? p : p.split(sep).join("/"));

/** True when `p` is `root` itself or below it (both absolute). */
export function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Repo-relative POSIX path of an absolute path ("" for the root). */
export const relPosix = (root: string, abs: string): string => toPosix(relative(root, abs));

/** True when a relative POSIX path from a manifest/YAML stays inside its base (no "..", not absolute). */
export function isSafeRelPath(p: string): boolean {
  if (p === "" || p.startsWith("/") || /^[A-Za-z]:/.test(p) || p.includes("\\") || p.includes("\0")) return false;
  return !p.split("/").some((seg) => seg === "..");
}

/**
 * Throws when writing at `abs` would land outside `root` because an existing directory on the way is a
 * symlink that leads out. Checks the deepest existing ancestor (what mkdir -p and rename would follow).
 */
export function assertWritesStayInside(root: string, abs: string, source: string): void {
  let dir = dirname(abs);
  for (;;) {
    let real: string | undefined;
    try {
      real = realpathSync(dir);
    } catch {
      // ENOENT/ENOTDIR: this ancestor does not exist yet, check its parent
    }
    if (real !== undefined) {
      if (!isInside(realpathSync(root), real)) throw new UnsafePathError(relPosix(root, abs), source);
      return;
    }
    const up = dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}
