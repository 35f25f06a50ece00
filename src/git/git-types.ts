// Types shared by the git adapter modules.
import type { ObjectStore } from "./object-store.js";

export interface GitAuthor {
  name: string;
  email: string;
  /** Seconds since the epoch (defaults to now). */
  timestamp?: number;
  /** Minutes, as isomorphic-git wants them (e.g. -120 for UTC+2). */
  timezoneOffset?: number;
}

export type GitObjectInfo =
  | { type: "commit"; oid: string; tree: string; parents: string[]; /** committer time, seconds */ time: number }
  | { type: "tag"; oid: string; target: string }
  | { type: "tree" | "blob"; oid: string };

export interface RefList {
  branches: { name: string; oid: string }[];
  tags: { name: string; oid: string }[];
}

export interface TreeEntry {
  mode: string;
  oid: string;
  type: "blob" | "tree" | "commit";
}

export interface IndexSnapshot {
  signature: string;
  files: Set<string>;
  dirs: Set<string>;
}

/** Per-repository state for one process: objects never change, so they are cached for good. */
export interface RepoContext {
  dir: string;
  gitdir: string;
  /** isomorphic-git's own cache (pack indexes, parsed index). */
  cache: object;
  objects: Map<string, Promise<GitObjectInfo | null>>;
  trees: Map<string, Promise<Map<string, TreeEntry>>>;
  index?: IndexSnapshot;
  /** Loose and packed objects, read without isomorphic-git. */
  store: ObjectStore;
}

export interface CommitInfo {
  oid: string;
  tree: string;
  parents: string[];
  /** timestamp: seconds since the epoch; timezoneOffset: minutes, isomorphic-git's sign (-120 for UTC+2). */
  author: Required<GitAuthor>;
  committer: Required<GitAuthor>;
  message: string;
}
