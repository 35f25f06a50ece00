// Per-directory hash records: for each directory output, the sorted files with (inode, size, mtime) and
// their hashes, plus the directory's hash, a fingerprint of all those stats, and whether every object was
// in the cache. An unchanged directory is recognised from its fingerprint alone; after a change, files
// whose stats did not move reuse their hash (a merge-join over sorted paths, no per-file lookups).
// Binary files under .dvc/tmp/dvx-dirs/, written atomically, dvx-owned and safe to delete.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { errCode, writeFileAtomic } from "../fsx/atomic.js";
import { cmpCodePoints, type FileStat, type WalkedFile } from "../fsx/walk.js";
import type { HashName } from "./types.js";

const RACY_MS = 50;
const MAGIC = "dvx-dir-index 1\n";

/** Fingerprint of a walked directory; undefined when a file changed too recently to be trusted. */
export function dirFingerprint(files: WalkedFile[], now = Date.now()): string | undefined {
  const h = createHash("md5");
  const racy = now - RACY_MS;
  let part = ""; // fed in slices of ~1000 files: one update per file costs more than the hashing
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (f.stat.mtimeMs > racy) return undefined;
    part += `${f.rel}\0${f.stat.ino}\0${f.stat.size}\0${f.stat.mtimeMs}\n`;
    if ((i & 1023) === 1023) {
      h.update(part);
      part = "";
    }
  }
  h.update(part);
  return h.digest("hex");
}

export interface DirRecord {
  fp: string | undefined;
  oid: string;
  size: number;
  nfiles: number;
  /** Every object of `oid` was in the local cache when this was recorded (cleared by gc). */
  complete: boolean;
}

interface Stored extends DirRecord {
  rels: string[];
  /** ino, size, mtime per file (mtime -1: too recent to trust). */
  stats: Float64Array;
  /** 16 raw bytes of md5 per file. */
  md5: Buffer;
}

/** A record whose per-file arrays are decoded only when first used (status needs just the header). */
function lazyStored(
  head: DirRecord & { key: string },
  body: () => Omit<Stored, keyof DirRecord> | null,
): Stored & { key: string } {
  let decoded: Omit<Stored, keyof DirRecord> | null | undefined;
  const get = (): Omit<Stored, keyof DirRecord> => {
    decoded ??= body();
    return decoded ?? { rels: [], stats: new Float64Array(0), md5: Buffer.alloc(0) };
  };
  // defineProperties, not Object.assign: assign would call the getters and decode everything at once
  return Object.defineProperties(head, {
    rels: { get: () => get().rels, enumerable: true },
    stats: { get: () => get().stats, enumerable: true },
    md5: { get: () => get().md5, enumerable: true },
  }) as Stored & { key: string };
}

/** Reuses per-file hashes of the previous record for files whose stats did not change. */
export class DirLookup {
  private j = 0;
  constructor(private readonly prev: Stored | undefined) {}

  get record(): DirRecord | undefined {
    return this.prev;
  }

  /** Call with files in sorted order. */
  md5Of(rel: string, st: FileStat): string | undefined {
    const p = this.prev;
    if (!p) return undefined;
    while (this.j < p.rels.length && cmpCodePoints(p.rels[this.j]!, rel) < 0) this.j++;
    const j = this.j;
    if (p.rels[j] !== rel) return undefined;
    const s = p.stats;
    if (s[3 * j] !== st.ino || s[3 * j + 1] !== st.size || s[3 * j + 2] !== st.mtimeMs) return undefined;
    return p.md5.toString("hex", 16 * j, 16 * j + 16);
  }
}

export class DirState {
  private readonly cache = new Map<string, Stored | null>();
  private readonly dirty = new Map<string, Stored>();

  constructor(readonly dir: string) {}

  private fileOf(rel: string, name: HashName): string {
    return join(this.dir, createHash("md5").update(`${name}:${rel}`).digest("hex"));
  }

  private load(rel: string, name: HashName): Stored | undefined {
    const key = `${name}:${rel}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
    let rec: Stored | null = null;
    try {
      rec = decode(readFileSync(this.fileOf(rel, name)), key);
    } catch (err) {
      if (errCode(err) !== "ENOENT") rec = null; // unreadable or torn: start over for this directory
    }
    this.cache.set(key, rec);
    return rec ?? undefined;
  }

  /** The record of `rel` when its fingerprint is `fp` (the directory is unchanged). */
  get(rel: string, name: HashName, fp: string): DirRecord | undefined {
    const r = this.load(rel, name);
    return r && r.fp === fp ? r : undefined;
  }

  /** The record of `rel` when its hash is `oid`. */
  byOid(rel: string, name: HashName, oid: string): DirRecord | undefined {
    const r = this.load(rel, name);
    return r && r.oid === oid ? r : undefined;
  }

  lookup(rel: string, name: HashName): DirLookup {
    return new DirLookup(this.load(rel, name));
  }

  /** Records a directory just hashed (files sorted, md5s aligned). */
  set(rel: string, name: HashName, rec: DirRecord, files: WalkedFile[], md5s: string[], now = Date.now()): void {
    const stats = new Float64Array(3 * files.length);
    files.forEach((f, i) => {
      stats[3 * i] = f.stat.ino;
      stats[3 * i + 1] = f.stat.size;
      stats[3 * i + 2] = f.stat.mtimeMs > now - RACY_MS ? -1 : f.stat.mtimeMs;
    });
    const stored: Stored = { ...rec, rels: files.map((f) => f.rel), stats, md5: Buffer.from(md5s.join(""), "hex") };
    this.cache.set(`${name}:${rel}`, stored);
    this.dirty.set(`${name}:${rel}`, stored);
  }

  markComplete(rel: string, name: HashName, oid: string): void {
    const r = this.load(rel, name);
    if (r && r.oid === oid && !r.complete) {
      r.complete = true;
      this.dirty.set(`${name}:${rel}`, r);
    }
  }

  /** Forget every "complete" claim (objects were deleted from the cache). */
  clearComplete(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if (errCode(err) !== "ENOENT") throw err;
    }
    for (const n of names) {
      try {
        const r = decode(readFileSync(join(this.dir, n)), "");
        if (r?.complete) this.dirty.set(r.key, { ...r, complete: false });
      } catch (err) {
        if (errCode(err) !== "ENOENT") throw err;
      }
    }
  }

  async save(): Promise<void> {
    if (this.dirty.size === 0) return;
    mkdirSync(this.dir, { recursive: true });
    for (const [key, r] of this.dirty) {
      const [name, ...rest] = key.split(":");
      await writeFileAtomic(this.fileOf(rest.join(":"), name as HashName), encode(key, r));
    }
    this.dirty.clear();
  }
}

function encode(key: string, r: Stored): Buffer {
  const rels = Buffer.from(r.rels.join("\n"), "utf8");
  const head = JSON.stringify({
    key,
    fp: r.fp ?? null,
    oid: r.oid,
    size: r.size,
    nfiles: r.nfiles,
    complete: r.complete,
    n: r.rels.length,
    relBytes: rels.length,
  });
  const headBuf = Buffer.from(`${MAGIC}${head}\n`, "utf8");
  const pad = (8 - ((headBuf.length + rels.length) % 8)) % 8;
  return Buffer.concat([
    headBuf,
    rels,
    Buffer.alloc(pad),
    Buffer.from(r.stats.buffer, r.stats.byteOffset, r.stats.byteLength),
    r.md5,
  ]);
}

function decode(buf: Buffer, wantKey: string): (Stored & { key: string }) | null {
  if (buf.toString("utf8", 0, MAGIC.length) !== MAGIC) return null;
  const nl = buf.indexOf(10, MAGIC.length);
  const h = JSON.parse(buf.toString("utf8", MAGIC.length, nl)) as {
    key: string;
    fp: string | null;
    oid: string;
    size: number;
    nfiles: number;
    complete: boolean;
    n: number;
    relBytes: number;
  };
  if (wantKey !== "" && h.key !== wantKey) return null;
  const relStart = nl + 1;
  let off = relStart + h.relBytes;
  off += (8 - (off % 8)) % 8;
  const statBytes = 24 * h.n;
  if (buf.length !== off + statBytes + 16 * h.n) return null;
  const head = { key: h.key, fp: h.fp ?? undefined, oid: h.oid, size: h.size, nfiles: h.nfiles, complete: h.complete };
  return lazyStored(head, () => {
    const rels = h.n === 0 ? [] : buf.toString("utf8", relStart, relStart + h.relBytes).split("\n");
    if (rels.length !== h.n) return null;
    const stats = new Float64Array(h.n * 3);
    Buffer.from(stats.buffer).set(buf.subarray(off, off + statBytes));
    return { rels, stats, md5: Buffer.from(buf.subarray(off + statBytes)) };
  });
}
