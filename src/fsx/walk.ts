// Walks a directory output: every file (recursively) that .dvcignore does not exclude, with its stat.
// Synchronous on purpose: for 100k files sync readdir/lstat is several times faster than the thread pool.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from "node:fs";
import { BadTargetError } from "../errors.js";
import type { DvcIgnore } from "./dvcignore.js";
import { isInside } from "./paths.js";
import { compareCodePoints as cmpCodePoints } from "../util/py-json.js";

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
  const base = opts.dirRel === "" ? opts.repoRoot : `${opts.repoRoot}/${opts.dirRel}`;
  const visit = (abs: string, rel: string): void => {
    const repoRelDir = opts.dirRel === "" ? rel : rel === "" ? opts.dirRel : `${opts.dirRel}/${rel}`;
    const check = opts.ignore.hasRulesFor(repoRelDir); // usually false: then only the built-in names apply
    for (const ent of readdirSync(abs, { withFileTypes: true })) {
      const name = ent.name;
      const childRel = rel === "" ? name : `${rel}/${name}`;
      const childAbs = `${abs}/${name}`;
      if (name === ".dvcignore") {
        throw new BadTargetError(`${repoRelDir}/${name}`, "a .dvcignore file must not be inside a tracked directory", "move the patterns to a .dvcignore above the directory");
      }
      if (name === ".git" || name === ".hg" || name === ".dvc") continue;
      const repoRel = () => (repoRelDir === "" ? name : `${repoRelDir}/${name}`);
      if (ent.isDirectory()) {
        if (check && opts.ignore.ignoresEntry(repoRel(), true)) continue;
        visit(childAbs, childRel);
      } else if (ent.isSymbolicLink()) {
        const st = followLink(opts.repoRoot, childAbs, repoRel());
        if (st === null || st.isDirectory()) continue; // symlinked directories are not descended (as DVC)
        if (check && opts.ignore.ignoresEntry(repoRel(), false)) continue;
        out.push({ rel: childRel, abs: childAbs, stat: fileStat(st) });
      } else if (ent.isFile()) {
        if (check && opts.ignore.ignoresEntry(repoRel(), false)) continue;
        out.push({ rel: childRel, abs: childAbs, stat: fileStat(lstatSync(childAbs)) });
      }
    }
  };
  visit(base, "");
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
    throw new BadTargetError(shown, "it is a symlink that points outside the repository", "copy the data into the repository instead of linking it");
  }
  return statSync(real);
}
