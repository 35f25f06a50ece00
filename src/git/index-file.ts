// Hand-written on purpose: a read-only parser of git's index (versions 2-4) that never rewrites it (isomorphic-git
// reads only version 2 and may write the index back), so `dvx exp run` can snapshot the workspace without
// touching the user's staging area. Format: Documentation/gitformat-index.txt.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isMissing } from "./git-util.js";
import { UnsupportedRepositoryError } from "./git-errors.js";

export interface IndexEntry {
  path: string;
  /** Octal mode as git writes it in trees: "100644", "100755", "120000", "160000", "40000" (sparse dir). */
  mode: string;
  oid: string;
  mtimeSec: number;
  mtimeNsec: number;
  ctimeSec: number;
  ctimeNsec: number;
  ino: number;
  size: number;
  /** Merge stage (0 when not conflicted). */
  stage: number;
  skipWorktree: boolean;
  intentToAdd: boolean;
}

export interface GitIndex {
  entries: IndexEntry[];
  /** The index file's own mtime (ms); entries not older than it are "racily clean" and must be re-hashed. */
  mtimeMs: number;
}

/** The entries of `<gitdir>/index` (none when there is no index yet). */
export async function readIndex(gitdir: string): Promise<GitIndex> {
  const file = path.join(gitdir, "index");
  let buf: Buffer;
  let mtimeMs: number;
  try {
    [buf, mtimeMs] = await Promise.all([readFile(file), stat(file).then((s) => s.mtimeMs)]);
  } catch (e) {
    if (isMissing(e)) return { entries: [], mtimeMs: 0 };
    throw e;
  }
  return { entries: parseIndex(buf, gitdir), mtimeMs };
}

export function parseIndex(buf: Buffer, where: string): IndexEntry[] {
  const bad = (why: string): never => {
    throw new UnsupportedRepositoryError(where, `cannot read the git index: ${why}`);
  };
  if (buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") bad("bad signature");
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) bad(`version ${version}`);
  const count = buf.readUInt32BE(8);
  const entries: IndexEntry[] = [];
  let pos = 12;
  let prev: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = pos;
    if (pos + 62 > buf.length) bad("truncated");
    const mode = buf.readUInt32BE(pos + 24);
    const flags = buf.readUInt16BE(pos + 60);
    let ext = 0;
    pos += 62;
    if (flags & 0x4000) {
      if (version < 3) bad("extended flags in a version 2 index");
      ext = buf.readUInt16BE(pos);
      pos += 2;
    }
    let name: Buffer;
    if (version === 4) {
      let b = buf[pos++]!;
      let strip = b & 0x7f;
      while (b & 0x80) {
        b = buf[pos++]!;
        strip = ((strip + 1) << 7) | (b & 0x7f);
      }
      const nul = buf.indexOf(0, pos);
      if (nul === -1) bad("truncated path");
      name = Buffer.concat([prev.subarray(0, prev.length - strip), buf.subarray(pos, nul)]);
      pos = nul + 1;
    } else {
      const nul = buf.indexOf(0, pos);
      if (nul === -1) bad("truncated path");
      name = buf.subarray(pos, nul);
      pos = start + ((nul - start + 8) & ~7);
    }
    prev = name;
    const type = mode >>> 12;
    entries.push({
      path: name.toString("utf8"),
      mode:
        type === 0o10
          ? (mode & 0o111) !== 0
            ? "100755"
            : "100644"
          : type === 0o12
            ? "120000"
            : type === 0o16
              ? "160000"
              : "40000",
      oid: buf.toString("hex", start + 40, start + 60),
      ctimeSec: buf.readUInt32BE(start),
      ctimeNsec: buf.readUInt32BE(start + 4),
      mtimeSec: buf.readUInt32BE(start + 8),
      mtimeNsec: buf.readUInt32BE(start + 12),
      ino: buf.readUInt32BE(start + 20),
      size: buf.readUInt32BE(start + 36),
      stage: (flags >> 12) & 3,
      skipWorktree: (ext & 0x4000) !== 0,
      intentToAdd: (ext & 0x2000) !== 0,
    });
  }
  // a split index keeps most entries in a shared file: this one alone is not the staging area
  for (let p = pos; p + 8 <= buf.length - 20;) {
    const sig = buf.toString("latin1", p, p + 4);
    if (sig === "link") bad("split indexes (core.splitIndex) are not supported");
    p += 8 + buf.readUInt32BE(p + 4);
  }
  return entries;
}
