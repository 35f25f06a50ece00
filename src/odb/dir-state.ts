// Remembers the hash of each directory output together with a fingerprint of its files' stats
// (relpath, inode, size, mtime). When the fingerprint matches, the directory is unchanged and its hash is
// known without looking up 100k per-file entries. A dvx-owned JSON file under .dvc/tmp/, safe to delete.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { errCode, writeFileAtomic } from "../fsx/atomic.js";
import type { WalkedFile } from "../fsx/walk.js";
import type { HashName } from "./types.js";

const RACY_MS = 50;

export interface DirRecord {
  fp: string;
  oid: string;
  size: number;
  nfiles: number;
  /** Every object of `oid` was in the local cache when this was recorded (cleared by gc). */
  complete?: boolean;
}

/** Fingerprint of a walked directory; undefined when a file changed too recently to be trusted. */
export function dirFingerprint(files: WalkedFile[], now = Date.now()): string | undefined {
  const h = createHash("md5");
  for (const f of files) {
    if (f.stat.mtimeMs > now - RACY_MS) return undefined;
    h.update(`${f.rel}\0${f.stat.ino}\0${f.stat.size}\0${f.stat.mtimeMs}\n`);
  }
  return h.digest("hex");
}

export class DirState {
  private data: Record<string, DirRecord> = {};
  private dirty = false;

  private constructor(readonly file: string) {}

  static load(file: string): DirState {
    const st = new DirState(file);
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) st.data = parsed as Record<string, DirRecord>;
    } catch (err) {
      if (errCode(err) !== "ENOENT" && !(err instanceof SyntaxError)) throw err;
    }
    return st;
  }

  get(rel: string, name: HashName, fp: string): DirRecord | undefined {
    const r = this.data[`${name}:${rel}`];
    return r && r.fp === fp ? r : undefined;
  }

  set(rel: string, name: HashName, rec: DirRecord): void {
    const key = `${name}:${rel}`;
    const old = this.data[key];
    if (old && old.fp === rec.fp && old.oid === rec.oid && old.complete === rec.complete) return;
    this.data[key] = rec;
    this.dirty = true;
  }

  /** The record of this directory when it currently has hash `oid` (any fingerprint). */
  byOid(rel: string, name: HashName, oid: string): DirRecord | undefined {
    const r = this.data[`${name}:${rel}`];
    return r && r.oid === oid ? r : undefined;
  }

  /** Forget every "complete" claim (objects were deleted from the cache). */
  clearComplete(): void {
    for (const r of Object.values(this.data)) if (r.complete) {
      delete r.complete;
      this.dirty = true;
    }
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await writeFileAtomic(this.file, JSON.stringify(this.data));
    this.dirty = false;
  }
}
