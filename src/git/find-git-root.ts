// Locating a work tree and its git directory (a `.git` directory, or a gitfile as in submodules).

import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isMissing } from "./git-util.js";

/** The git directory of work tree root `dir`: `.git` itself, or where a gitfile points; null if none. */
export async function gitDirOf(dir: string): Promise<string | null> {
  const dotgit = path.join(dir, ".git");
  try {
    const st = await stat(dotgit);
    if (st.isDirectory()) {
      await stat(path.join(dotgit, "HEAD"));
      return dotgit;
    }
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotgit, "utf8"));
    if (m?.[1] === undefined) return null;
    const target = path.resolve(dir, m[1]);
    await stat(path.join(target, "HEAD"));
    return target;
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/** The work tree root at or above `startDir` (the first directory holding a `.git` dir or gitfile), or null. */
export async function findGitRoot(startDir: string): Promise<string | null> {
  let current = path.resolve(startDir);
  for (;;) {
    if ((await gitDirOf(current)) !== null) return current;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}
