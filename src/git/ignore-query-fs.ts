// File system clients handed to isomorphic-git's isIgnored to correct two of its quirks. Both
// only change what it reads from .gitignore and info/exclude files; git.ts asks about every
// ancestor directory first, so by the time a path itself is checked its parents are known to be
// not ignored.
//
// 1. It drops the trailing "/" when matching against a nested .gitignore, so "deep/" in
//    sub/.gitignore never matches the directory sub/deep. For a directory query, directory-only
//    patterns apply anyway, so `directoryQueryFs` serves each pattern without its trailing "/".
// 2. For a file it tests the parent directory *as a file* and stops if that matches, so
//    "/*" + "!/src/" wrongly ignores src/a.py. `fileQueryFs` appends to each ancestor's
//    .gitignore a negation of exactly that parent path, which git already found not ignored.

import * as nodeFs from "node:fs";
import path from "node:path";
import { isMissing } from "./git-util.js";

type Rewrite = (file: string, content: string | null) => string | null;

function rewritingFs(rewrite: Rewrite): { promises: typeof nodeFs.promises } {
  // synchronous reads behind the promise API: a few small files per query, where each thread-pool round trip
  // costs 0.1-0.3 ms (a pipeline run asks once per new output)
  const readFile = async (file: string, options?: unknown): Promise<string | Buffer> => {
    const isIgnoreFile = file.endsWith("/.gitignore") || file.endsWith("/info/exclude");
    if (!isIgnoreFile) return nodeFs.readFileSync(file, options as BufferEncoding);
    let content: string | null = null;
    try {
      content = nodeFs.readFileSync(file, "utf8");
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    const out = rewrite(file, content);
    if (out === null) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: "ENOENT" });
    return out;
  };
  const stat = async (file: string): Promise<nodeFs.Stats> => nodeFs.statSync(file);
  const lstat = async (file: string): Promise<nodeFs.Stats> => nodeFs.lstatSync(file);
  return { promises: { ...nodeFs.promises, readFile, stat, lstat } as typeof nodeFs.promises };
}

export const directoryQueryFs = rewritingFs((_file, content) =>
  content === null
    ? null
    : content
        .split(/\r?\n/)
        .map((line) => (line.startsWith("#") ? line : line.replace(/(.)\/+(\s*)$/, "$1$2")))
        .join("\n"),
);

const escapeGlob = (p: string): string => p.replace(/[\\*?[\]]/g, "\\$&").replace(/ $/, "\\ ");

/** For the query of file `rel` (repo-relative) in work tree `root`. */
export function fileQueryFs(root: string, rel: string): { promises: typeof nodeFs.promises } {
  const parts = rel.split("/");
  const negations = new Map<string, string>();
  for (let i = 0; i < parts.length - 1; i++) {
    const parent = parts.slice(i, -1).join("/");
    negations.set(path.join(root, ...parts.slice(0, i), ".gitignore"), `!/${escapeGlob(parent)}`);
  }
  return rewritingFs((file, content) => {
    const negation = negations.get(file);
    return negation === undefined ? content : `${content ?? ""}\n${negation}\n`;
  });
}
