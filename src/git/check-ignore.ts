// Whether git ignores a path, as `git check-ignore --no-index` answers: the rules of .git/info/exclude and of the
// .gitignore of each directory on the way. The walk is isomorphic-git's GitIgnoreManager.isIgnored (1.x), done
// here on the `ignore` package and synchronous reads: asking then costs neither the isomorphic-git load (about
// 50 ms) nor thread-pool round trips (`dvx add` and a pipeline run ask once per new output). git.ts asks about
// every ancestor directory first, so by the time a path itself is checked its parents are known not to be
// ignored. Two quirks of the walk are corrected by rewriting what it reads:
//
// 1. It drops the trailing "/" when matching against a nested .gitignore, so "deep/" in sub/.gitignore never
//    matches the directory sub/deep. For a directory query, directory-only patterns apply anyway, so
//    `directoryQuery` serves each pattern without its trailing "/".
// 2. For a file it tests the parent directory *as a file* and stops if that matches, so "/*" + "!/src/" wrongly
//    ignores src/a.py. `fileQuery` appends to each ancestor's .gitignore a negation of exactly that parent path,
//    which git already found not ignored.

import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { Ignore } from "ignore";

// src/git stands alone (it is compiled and loaded on its own in tests): its own handle on the package
let factory: (() => Ignore) | undefined;
const rules = (): Ignore => (factory ??= createRequire(import.meta.url)("ignore") as () => Ignore)();

/** The text of an ignore file as the walk sees it; null when there is none. */
export type IgnoreReader = (file: string) => string | null;

/** The file's text; null when it cannot be read (git warns and goes on, as isomorphic-git's reader did). */
function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

// isomorphic-git's own path helpers: a trailing "/" (a directory query) makes the directory itself the "parent"
const parentOf = (p: string): string => {
  const last = p.lastIndexOf("/");
  return last === -1 ? "." : last === 0 ? "/" : p.slice(0, last);
};

/** Is `filepath` (repo-relative, "/"-separated, a trailing "/" for a directory) ignored in the work tree `dir`? */
export function ignoredBy(read: IgnoreReader, dir: string, gitdir: string, filepath: string): boolean {
  if (filepath.slice(filepath.lastIndexOf("/") + 1) === ".git") return true;
  if (filepath === ".") return false;
  const excludes = read(path.join(gitdir, "info", "exclude")) ?? "";
  const pairs = [{ gitignore: path.join(dir, ".gitignore"), filepath }];
  const pieces = filepath.split("/").filter(Boolean);
  for (let i = 1; i < pieces.length; i++) {
    pairs.push({ gitignore: path.join(dir, ...pieces.slice(0, i), ".gitignore"), filepath: pieces.slice(i).join("/") });
  }
  let ignored = false;
  for (const [index, p] of pairs.entries()) {
    const text = read(p.gitignore);
    const ign = rules();
    // info/exclude patterns are relative to the work tree: only the first pair holds the full path
    if (index === 0) ign.add(excludes);
    if (text !== null) ign.add(text);
    // "It is not possible to re-include a file if a parent directory of that file is excluded" (gitignore(5))
    const parent = parentOf(p.filepath);
    if (parent !== "." && ign.ignores(parent)) return true;
    ignored = ignored ? !ign.test(p.filepath).unignored : ign.test(p.filepath).ignored;
  }
  return ignored;
}

const isIgnoreFile = (file: string): boolean => file.endsWith("/.gitignore") || file.endsWith("/info/exclude");

/** Reads ignore files for a directory query (see 1 above). */
export const directoryQuery: IgnoreReader = (file) => {
  const content = readOrNull(file);
  if (content === null || !isIgnoreFile(file)) return content;
  return content
    .split(/\r?\n/)
    .map((line) => (line.startsWith("#") ? line : line.replace(/(.)\/+(\s*)$/, "$1$2")))
    .join("\n");
};

const escapeGlob = (p: string): string => p.replace(/[\\*?[\]]/g, "\\$&").replace(/ $/, "\\ ");

/** Reads ignore files for the query of file `rel` (repo-relative) in work tree `root` (see 2 above). */
export function fileQuery(root: string, rel: string): IgnoreReader {
  const parts = rel.split("/");
  const negations = new Map<string, string>();
  for (let i = 0; i < parts.length - 1; i++) {
    const parent = parts.slice(i, -1).join("/");
    negations.set(path.join(root, ...parts.slice(0, i), ".gitignore"), `!/${escapeGlob(parent)}`);
  }
  return (file) => {
    const content = readOrNull(file);
    const negation = negations.get(file);
    return negation === undefined ? content : `${content ?? ""}\n${negation}\n`;
  };
}
