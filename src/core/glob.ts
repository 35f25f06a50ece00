// `--glob` target expansion: Python's glob.glob(pattern, recursive=True), which DVC calls for `dvc add --glob`
// (`*`, `?`, `[...]` per component, hidden names only for a component that starts with ".", `**` as a whole
// component for any depth, no braces). The walk follows CPython 3.11's glob.py; names match through fnmatch.
import { lstatSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { BadTargetError } from "../errors.js";
import { relPosix } from "../fsx/paths.js";
import { fnmatcher } from "../util/fnmatch.js";

const hasMagic = (s: string): boolean => /[*?[]/.test(s);
const isHidden = (name: string): boolean => name.startsWith(".");

/** What glob.glob(pattern, recursive=True) returns, run in `cwd` (in directory-listing order). */
export function pyGlob(cwd: string, pattern: string): string[] {
  // "" is the cwd for listing, but neither exists nor is a directory (os.path.isdir(""))
  const abs = (p: string): string => (p === "" ? cwd : resolve(cwd, p));
  const lexists = (p: string): boolean => {
    if (p === "") return false;
    try {
      lstatSync(abs(p));
      return true;
    } catch {
      return false;
    }
  };
  const isDir = (p: string): boolean => {
    if (p === "") return false;
    try {
      return statSync(abs(p)).isDirectory();
    } catch {
      return false;
    }
  };
  const listdir = (dir: string, dirOnly: boolean): string[] => {
    let ents;
    try {
      ents = readdirSync(abs(dir), { withFileTypes: true });
    } catch {
      return [];
    }
    return ents
      .filter((e) => !dirOnly || e.isDirectory() || (e.isSymbolicLink() && isDir(join(dir, e.name))))
      .map((e) => e.name);
  };
  const rlistdir = (dir: string, dirOnly: boolean): string[] =>
    listdir(dir, dirOnly)
      .filter((x) => !isHidden(x))
      .flatMap((x) => [x, ...rlistdir(join(dir, x), dirOnly).map((y) => join(x, y))]);
  const glob0 = (dir: string, base: string): string[] => ((base ? lexists(join(dir, base)) : isDir(dir)) ? [base] : []);
  const glob1 = (dir: string, pat: string, dirOnly: boolean): string[] => {
    const match = fnmatcher(pat);
    return listdir(dir, dirOnly).filter((x) => (isHidden(pat) || !isHidden(x)) && match(x));
  };
  const glob2 = (dir: string, dirOnly: boolean): string[] => ["", ...rlistdir(dir, dirOnly)];

  const iglob = (path: string, dirOnly: boolean): string[] => {
    const [dirname, basename] = split(path);
    if (!hasMagic(path)) return (basename ? lexists(path) : isDir(dirname)) ? [path] : [];
    if (!dirname) return basename === "**" ? glob2("", dirOnly) : glob1("", basename, dirOnly);
    const dirs = dirname !== path && hasMagic(dirname) ? iglob(dirname, true) : [dirname];
    const inDir = (d: string): string[] =>
      !hasMagic(basename) ? glob0(d, basename) : basename === "**" ? glob2(d, dirOnly) : glob1(d, basename, dirOnly);
    return dirs.flatMap((d) => inDir(d).map((name) => pathJoin(d, name)));
  };

  const out = iglob(pattern, false);
  // glob.iglob drops the leading "" that `**` at the start of a pattern yields
  return pattern === "" || pattern.startsWith("**") ? out.filter((p, i) => i > 0 || p !== "") : out;
}

/** glob's _join: either side empty gives the other. */
const join = (a: string, b: string): string => (!a || !b ? a || b : pathJoin(a, b));

/** posixpath.join for two parts. */
const pathJoin = (a: string, b: string): string =>
  b.startsWith("/") ? b : a === "" || a.endsWith("/") ? a + b : `${a}/${b}`;

/** posixpath.split: the head loses trailing slashes unless it is all slashes. */
function split(p: string): [string, string] {
  const i = p.lastIndexOf("/") + 1;
  let head = p.slice(0, i);
  if (head && !/^\/+$/.test(head)) head = head.replace(/\/+$/, "");
  return [head, p.slice(i)];
}

const inGitOrDvcDir = (rel: string): boolean => rel.split("/").some((c) => c === ".git" || c === ".dvc");

/**
 * Expands the patterns that contain wildcards (others pass through) into paths relative to `cwd`. Unlike DVC,
 * pointer files (`*.dvc`) and anything in `.git`/`.dvc` are left out, a match inside another match is covered
 * by it, and a pattern that matches nothing is an error of its own (DVC fails only when all match nothing).
 */
export function expandGlobs(cwd: string, patterns: string[]): string[] {
  const out: string[] = [];
  for (const pat of patterns) {
    if (!hasMagic(pat)) {
      out.push(pat);
      continue;
    }
    const hits = [...new Set(pyGlob(cwd, pat).map((p) => relPosix(cwd, resolve(cwd, p)) || "."))].filter(
      (r) => !r.endsWith(".dvc") && !inGitOrDvcDir(r),
    );
    if (hits.length === 0)
      throw new BadTargetError(
        pat,
        "the pattern matches nothing",
        "check the pattern (quote it so the shell does not expand it)",
      );
    hits.sort();
    // a match inside another match is covered by it ("." covers everything)
    for (const h of hits) if (!hits.some((p) => p !== h && (p === "." || h.startsWith(`${p}/`)))) out.push(h);
  }
  return out;
}
