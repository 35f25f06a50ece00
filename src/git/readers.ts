// The two TreeReader implementations: the work tree on disk, and a commit in git.

import { listFilesAtRev, readFileAtRev } from "./git.js";
import { resolveRevision } from "./revparse.js";
import type { TreeReader } from "./tree-reader.js";

export { WorkspaceReader } from "./workspace-reader.js";

/** Reads commit `commitOid` of the repository at `dir`; `label` is the revision as the user typed it. */
export class GitRevReader implements TreeReader {
  constructor(
    readonly dir: string,
    readonly commitOid: string,
    readonly label: string = commitOid.slice(0, 7),
  ) {}

  /** Resolves `rev` (HEAD~1, a tag, a hash...) and labels the reader with it. */
  static async open(dir: string, rev: string): Promise<GitRevReader> {
    return new GitRevReader(dir, await resolveRevision(dir, rev), rev);
  }

  readFile(filePath: string): Promise<Buffer | null> {
    return readFileAtRev(this.dir, this.commitOid, filePath);
  }

  listFiles(keep: (path: string) => boolean): Promise<string[]> {
    return listFilesAtRev(this.dir, this.commitOid, keep);
  }
}
