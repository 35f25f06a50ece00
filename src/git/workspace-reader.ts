// The work tree on disk as a TreeReader. Kept apart from readers.ts so that reading the workspace
// never loads the git modules (startup time of read-only commands).

import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { errorCode, normalizeRepoPath } from "./git-util.js";
import type { TreeReader } from "./tree-reader.js";

const SKIPPED_DIRS = new Set([".dvc"]);

/** Codes that mean "there is no file at this path". */
const NOT_A_FILE = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

/**
 * Reads the work tree under `root`. Symlinks to files are files; symlinked directories are not
 * followed. `.git` (dir or gitfile) and `.dvc` directories are skipped at any depth.
 */
export class WorkspaceReader implements TreeReader {
  readonly label = "workspace";

  constructor(readonly root: string) {}

  async readFile(filePath: string): Promise<Buffer | null> {
    const rel = normalizeRepoPath(filePath, this.label);
    if (rel === "") return null;
    try {
      return await readFile(path.join(this.root, ...rel.split("/")));
    } catch (e) {
      if (NOT_A_FILE.has(errorCode(e) ?? "")) return null;
      throw e;
    }
  }

  async listFiles(keep: (path: string) => boolean): Promise<string[]> {
    const out: string[] = [];
    const walk = async (abs: string, prefix: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(abs, { withFileTypes: true });
      } catch (e) {
        // The directory vanished (or became a file) while we walked: nothing to list.
        if (errorCode(e) === "ENOENT" || errorCode(e) === "ENOTDIR") return;
        throw e;
      }
      const subdirs: Promise<void>[] = [];
      for (const entry of entries) {
        const rel = prefix + entry.name;
        const full = path.join(abs, entry.name);
        if (entry.name === ".git") continue; // a nested repository's dir, or a submodule's gitfile
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) subdirs.push(walk(full, `${rel}/`));
        } else if (entry.isFile() || (entry.isSymbolicLink() && (await isFileBehindLink(full)))) {
          if (keep(rel)) out.push(rel);
        }
      }
      await Promise.all(subdirs);
    };
    await walk(this.root, "");
    return out.sort();
  }
}

async function isFileBehindLink(full: string): Promise<boolean> {
  try {
    return (await stat(full)).isFile();
  } catch (e) {
    // A dangling link (or a loop) is not a file.
    if (errorCode(e) === "ENOENT" || errorCode(e) === "ELOOP") return false;
    throw e;
  }
}
