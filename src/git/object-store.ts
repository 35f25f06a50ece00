// A read-only git object database reader on node:fs and node:zlib: loose objects, packs (idx v2, OFS/REF deltas)
// and alternates. Read-only commands (metrics/params/diff at a revision, rev-parse) use it instead of loading
// isomorphic-git (~100 ms to load, and it parses a whole pack index and reads a whole pack per object lookup):
// here an idx lookup is a binary search and a pack object costs one positioned read and one inflate.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { errorCode, isMissing } from "./git-util.js";

export type ObjectType = "commit" | "tree" | "blob" | "tag";
export interface RawObject {
  type: ObjectType;
  data: Buffer;
}

const TYPES: Record<number, ObjectType> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };
const OFS_DELTA = 6;
const REF_DELTA = 7;

/** A malformed object or pack; `code` makes git.ts wrap it into a GitError. */
export class CorruptGitObjectError extends Error {
  readonly code = "EGITCORRUPT";
  constructor(
    readonly oid: string,
    reason: string,
  ) {
    super(`git object ${oid} is corrupt: ${reason}`);
  }
}

interface Pack {
  idxFile: string;
  packFile: string;
  idx?: Buffer;
  count: number;
  fd?: number;
  size: number;
}

/** Inflates a zlib stream that starts at `pos` of an open file, reading a window sized from the expected size. */
function inflateAt(fd: number, fileSize: number, pos: number, expected: number): Buffer {
  let window = expected + Math.ceil(expected / 16_000) * 5 + 64;
  for (;;) {
    const len = Math.min(window, fileSize - pos);
    const buf = Buffer.allocUnsafe(len);
    readSync(fd, buf, 0, len, pos);
    try {
      // an output chunk the size of the object: zlib's default 16 KiB chunk costs more than the inflating itself
      return inflateSync(buf, { chunkSize: Math.max(64, expected + 1) });
    } catch (e) {
      if (errorCode(e) !== "Z_BUF_ERROR" || len === fileSize - pos) throw e;
      window *= 2;
    }
  }
}

/** Applies a git delta to `base`. */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let p = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[p++]!;
      n += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80);
    return n;
  };
  const srcSize = varint();
  if (srcSize !== base.length) throw new Error(`delta base is ${base.length} bytes, expected ${srcSize}`);
  const out = Buffer.allocUnsafe(varint());
  let o = 0;
  while (p < delta.length) {
    const op = delta[p++]!;
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) off += delta[p++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[p++]! * 2 ** (8 * i);
      if (size === 0) size = 0x10000;
      o += base.copy(out, o, off, off + size);
    } else if (op > 0) {
      o += delta.copy(out, o, p, p + op);
      p += op;
    } else throw new Error("delta opcode 0");
  }
  if (o !== out.length) throw new Error(`delta produced ${o} of ${out.length} bytes`);
  return out;
}

export class ObjectStore {
  private packs: Pack[] | undefined;
  private readonly objectDirs: string[];
  /** Pack objects by "<pack>:<offset>" (delta bases are shared between many objects). */
  private readonly byOffset = new Map<string, RawObject>();

  constructor(readonly gitdir: string) {
    this.objectDirs = [path.join(gitdir, "objects")];
    // alternates: other object directories this repository borrows from (one path per line)
    for (let i = 0; i < this.objectDirs.length && i < 8; i++) {
      try {
        for (const line of readFileSync(path.join(this.objectDirs[i]!, "info", "alternates"), "utf8").split("\n")) {
          const alt = line.trim();
          if (alt !== "" && !alt.startsWith("#")) this.objectDirs.push(path.resolve(this.objectDirs[i]!, alt));
        }
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
  }

  private listPacks(): Pack[] {
    const packs: Pack[] = [];
    for (const dir of this.objectDirs) {
      const packDir = path.join(dir, "pack");
      let names: string[];
      try {
        names = readdirSync(packDir);
      } catch (e) {
        if (isMissing(e)) continue;
        throw e;
      }
      for (const n of names.sort()) {
        if (!n.endsWith(".idx")) continue;
        const packFile = path.join(packDir, `${n.slice(0, -4)}.pack`);
        if (existsSync(packFile)) packs.push({ idxFile: path.join(packDir, n), packFile, count: 0, size: 0 });
      }
    }
    return packs;
  }

  private index(pack: Pack): Buffer {
    if (pack.idx === undefined) {
      const idx = readFileSync(pack.idxFile);
      if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2)
        throw Object.assign(new Error(`${pack.idxFile}: only pack index version 2 is supported`), { code: "EGITIDX" });
      pack.idx = idx;
      pack.count = idx.readUInt32BE(8 + 255 * 4);
    }
    return pack.idx;
  }

  /** The offset of `oid` in `pack`, or -1. */
  private findIn(pack: Pack, oid: Buffer): number {
    const idx = this.index(pack);
    const first = oid[0]!;
    let lo = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
    let hi = idx.readUInt32BE(8 + first * 4);
    const shaBase = 8 + 256 * 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = idx.compare(oid, 0, 20, shaBase + mid * 20, shaBase + mid * 20 + 20);
      if (cmp === 0) return this.offsetAt(pack, mid);
      if (cmp < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  private offsetAt(pack: Pack, i: number): number {
    const idx = pack.idx!;
    const offBase = 8 + 256 * 4 + pack.count * 24;
    const off = idx.readUInt32BE(offBase + i * 4);
    if ((off & 0x80000000) === 0) return off;
    const large = offBase + pack.count * 4 + (off & 0x7fffffff) * 8;
    return idx.readUInt32BE(large) * 2 ** 32 + idx.readUInt32BE(large + 4);
  }

  private readPacked(pack: Pack, offset: number, oid: string, depth: number): RawObject {
    const key = `${pack.packFile}:${offset}`;
    const known = this.byOffset.get(key);
    if (known) return known;
    if (depth > 10_000) throw new CorruptGitObjectError(oid, "delta chain too long");
    if (pack.fd === undefined) {
      pack.fd = openSync(pack.packFile, "r");
      pack.size = statSync(pack.packFile).size;
    }
    const head = Buffer.alloc(32);
    readSync(pack.fd, head, 0, 32, offset);
    let p = 0;
    let c = head[p++]!;
    const typeNum = (c >> 4) & 7;
    let size = c & 15;
    let shift = 4;
    while (c & 0x80) {
      c = head[p++]!;
      size += (c & 0x7f) * 2 ** shift;
      shift += 7;
    }
    let obj: RawObject;
    if (typeNum === OFS_DELTA || typeNum === REF_DELTA) {
      let base: RawObject | null;
      if (typeNum === OFS_DELTA) {
        c = head[p++]!;
        let back = c & 0x7f;
        while (c & 0x80) {
          c = head[p++]!;
          back = (back + 1) * 128 + (c & 0x7f);
        }
        base = this.readPacked(pack, offset - back, oid, depth + 1);
      } else {
        const baseOid = head.subarray(p, p + 20).toString("hex");
        p += 20;
        base = this.readDepth(baseOid, depth + 1);
        if (base === null) throw new CorruptGitObjectError(oid, `delta base ${baseOid} is missing`);
      }
      const delta = inflateAt(pack.fd, pack.size, offset + p, size);
      obj = { type: base.type, data: applyDelta(base.data, delta) };
    } else {
      const type = TYPES[typeNum];
      if (type === undefined) throw new CorruptGitObjectError(oid, `unknown pack object type ${typeNum}`);
      obj = { type, data: inflateAt(pack.fd, pack.size, offset + p, size) };
    }
    if (this.byOffset.size > 2048) this.byOffset.clear();
    this.byOffset.set(key, obj);
    return obj;
  }

  private readLoose(oid: string): RawObject | null {
    for (const dir of this.objectDirs) {
      const file = path.join(dir, oid.slice(0, 2), oid.slice(2));
      // most objects of a used repository are packed: a failed stat costs far less than a thrown ENOENT
      if (!existsSync(file)) continue;
      let raw: Buffer;
      try {
        const deflated = readFileSync(file);
        raw = inflateSync(deflated, { chunkSize: Math.max(64, Math.min(16_384, deflated.length * 4)) });
      } catch (e) {
        if (isMissing(e)) continue;
        throw e;
      }
      const nul = raw.indexOf(0);
      const [type, size] = raw.subarray(0, nul).toString("latin1").split(" ");
      const data = raw.subarray(nul + 1);
      if (!(type === "commit" || type === "tree" || type === "blob" || type === "tag") || Number(size) !== data.length)
        throw new CorruptGitObjectError(oid, "bad loose object header");
      return { type, data };
    }
    return null;
  }

  private readDepth(oid: string, depth: number): RawObject | null {
    // packs first (an index lookup is a binary search), then a loose file, then packs written since we looked
    // (gc, fetch)
    const bin = Buffer.from(oid, "hex");
    const fromPacks = (): RawObject | null => {
      this.packs ??= this.listPacks();
      for (const pack of this.packs) {
        const off = this.findIn(pack, bin);
        if (off >= 0) return this.readPacked(pack, off, oid, depth);
      }
      return null;
    };
    const found = fromPacks() ?? this.readLoose(oid);
    if (found) return found;
    this.packs = undefined;
    return fromPacks();
  }

  /** The object `oid` (40 lowercase hex), or null when this repository does not have it. */
  read(oid: string): RawObject | null {
    if (!/^[0-9a-f]{40}$/.test(oid)) return null;
    return this.readDepth(oid, 0);
  }

  /** Every object id starting with `prefix` (lowercase hex, at least 4 characters), loose and packed. */
  expandPrefix(prefix: string): string[] {
    const found = new Set<string>();
    for (const dir of this.objectDirs) {
      try {
        for (const n of readdirSync(path.join(dir, prefix.slice(0, 2))))
          if ((prefix.slice(0, 2) + n).startsWith(prefix) && n.length === 38) found.add(prefix.slice(0, 2) + n);
      } catch (e) {
        if (!isMissing(e) && errorCode(e) !== "ENOTDIR") throw e;
      }
    }
    this.packs = this.listPacks();
    const first = parseInt(prefix.slice(0, 2), 16);
    for (const pack of this.packs) {
      const idx = this.index(pack);
      const lo = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
      const hi = idx.readUInt32BE(8 + first * 4);
      for (let i = lo; i < hi; i++) {
        const hex = idx.toString("hex", 8 + 1024 + i * 20, 8 + 1024 + i * 20 + 20);
        if (hex.startsWith(prefix)) found.add(hex);
      }
    }
    return [...found].sort();
  }

  /** Closes the pack files (the store stays usable: they are reopened on demand). */
  close(): void {
    for (const p of this.packs ?? []) {
      if (p.fd !== undefined) closeSync(p.fd);
      p.fd = undefined;
    }
  }
}
