// Reads repository files either from the workspace or from a git revision, so ops never swap filesystems.

export interface TreeReader {
  /** A label for messages and table headers: "workspace" or the revision as the user typed it. */
  readonly label: string;
  /** File bytes, or null when the path does not exist (at that revision). Path is POSIX, repo-relative. */
  readFile(path: string): Promise<Buffer | null>;
  /** All file paths (POSIX, repo-relative) for which `keep` returns true. Never descends into .git or .dvc. */
  listFiles(keep: (path: string) => boolean): Promise<string[]>;
}
