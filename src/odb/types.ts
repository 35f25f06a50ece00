// Data-layer types shared by odb/, remote/, tracking/ and core/.

/** "md5" = DVC 3 (plain MD5); "md5-dos2unix" = DVC 2 legacy entries (no `hash:` key). */
export type HashName = "md5" | "md5-dos2unix";

/** A content address. `value` is 32 lowercase hex, plus ".dir" for directory manifests. */
export interface HashInfo {
  name: HashName;
  value: string;
}

/** One file inside a directory object (.dir manifest entry); relpath is POSIX. */
export interface TreeEntry {
  relpath: string;
  md5: string;
  size?: number;
  isexec?: boolean;
}
