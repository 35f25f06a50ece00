// The local cache: content-addressed, read-only objects (docs/formats.md §4). Writes are temp + rename.
import { randomBytes } from "node:crypto";
import { mkdirSync, promises as fs, readFileSync, rename, statSync, writeFile } from "node:fs";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import { FileChangedError } from "../errors.js";
import { errCode, mapWriteError } from "../fsx/atomic.js";
import { hashBuffer, hashFileStream } from "./hash.js";
import { listCacheObjects } from "./list.js";
import { parseTree } from "./tree.js";
import type { HashInfo, HashName, TreeEntry } from "./types.js";

/** Objects up to this size are read into memory once; larger ones stream (hash + copy in one pass). */
export const SMALL_FILE = 4 << 20;

/** Key of an object relative to a cache or remote root (docs/formats.md §4.1, §7.1). */
export function objectKey(h: HashInfo): string {
  const v = h.value;
  return h.name === "md5" ? `files/md5/${v.slice(0, 2)}/${v.slice(2)}` : `${v.slice(0, 2)}/${v.slice(2)}`;
}

// the callback API: raw fds, fewer allocations than fs.promises FileHandles for 100k small writes
const writeFileCb = promisify(writeFile);
const renameCb = promisify(rename);

const tmpName = (): string => `.${randomBytes(8).toString("hex")}.tmp`;

export class LocalOdb {
  private readonly madeDirs = new Set<string>();
  private prefix: string | undefined;
  /** Object keys known to exist, after preload() (bulk checks: 256 readdirs instead of 100k stats). */
  private known: Set<string> | undefined;

  constructor(readonly root: string) {}

  path(h: HashInfo): string {
    // plain concatenation (join() normalises, which costs ~3 us a call: noticeable for 100k objects)
    this.prefix ??= join(this.root, "/");
    return this.prefix + objectKey(h);
  }

  /** Lists the cache once so that has() answers from memory; worth it from a few thousand checks. */
  preload(): void {
    if (this.known) return;
    const known = new Set<string>();
    for (const h of listCacheObjects(this.root)) known.add(objectKey(h));
    this.known = known;
  }

  private statChecks = 0;

  has(h: HashInfo): boolean {
    if (this.known) return this.known.has(objectKey(h));
    // many checks in one run: one listing of the cache is cheaper than thousands of stat calls
    if (++this.statChecks > 2000) {
      this.preload();
      return this.known!.has(objectKey(h));
    }
    try {
      return statSync(this.path(h)).isFile();
    } catch (err) {
      if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return false;
      throw err;
    }
  }

  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  /** Moves a finished temp file into place as a read-only object (an existing object wins). */
  private async install(tmp: string, h: HashInfo): Promise<void> {
    const dest = this.path(h);
    this.ensureDir(dirname(dest));
    await fs.chmod(tmp, 0o444);
    await fs.rename(tmp, dest);
    this.known?.add(objectKey(h));
  }

  /** Stores bytes whose hash is known. No-op when the object exists. */
  async putBytes(h: HashInfo, data: Uint8Array): Promise<void> {
    if (this.has(h)) return;
    const dest = this.path(h);
    this.ensureDir(dirname(dest));
    const tmp = join(dirname(dest), tmpName());
    try {
      await writeFileCb(tmp, data, { mode: 0o444, flag: "wx" });
      await renameCb(tmp, dest);
      this.known?.add(objectKey(h));
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw mapWriteError(err, dest);
    }
  }

  /** A temp path inside the cache (same filesystem as the objects), for downloads and streamed adds. */
  tmpPath(): string {
    const dir = join(this.root, "files", "md5");
    this.ensureDir(dir);
    return join(dir, tmpName());
  }

  /** Installs a downloaded/verified temp file as object `h` (deletes the temp if the object exists). */
  async adopt(tmp: string, h: HashInfo): Promise<void> {
    if (this.has(h)) {
      await fs.rm(tmp, { force: true });
      return;
    }
    try {
      await this.install(tmp, h);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw mapWriteError(err, this.path(h));
    }
  }

  /**
   * Hashes a workspace file and stores it in the same read: small files through one buffer,
   * large files streamed into a temp object while hashing. Throws FileChangedError if the file
   * changed meanwhile. `store=false` only hashes.
   */
  async hashAndStore(abs: string, shown: string, name: HashName, size: number, store: boolean): Promise<string> {
    if (size <= SMALL_FILE) {
      // small files: one synchronous read (page cache) beats four thread-pool round trips
      const data = readFileSync(abs);
      if (data.length !== size) throw new FileChangedError(shown);
      const value = hashBuffer(data, name);
      if (store) await this.putBytes({ name, value }, data);
      return value;
    }
    if (!store) {
      const r = await hashFileStream(abs, name);
      if (r.size !== size) throw new FileChangedError(shown);
      return r.value;
    }
    // large files: the kernel copies into a temp object (copy_file_range) while we hash the same file
    const tmp = this.tmpPath();
    const before = statSync(abs);
    try {
      const [, r] = await Promise.all([fs.copyFile(abs, tmp), hashFileStream(abs, name)]);
      const after = statSync(abs);
      if (r.size !== size || after.size !== before.size || after.mtimeMs !== before.mtimeMs)
        throw new FileChangedError(shown);
      await this.adopt(tmp, { name, value: r.value });
      return r.value;
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw mapWriteError(err, tmp);
    }
  }

  /** Copies a file whose hash is already known (from the stat cache) into the cache. */
  async putFile(h: HashInfo, abs: string): Promise<void> {
    if (this.has(h)) return;
    const tmp = this.tmpPath();
    try {
      await fs.copyFile(abs, tmp);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw mapWriteError(err, this.path(h));
    }
    await this.adopt(tmp, h);
  }

  /** Records that an object was stored by someone else (a hashing worker). */
  noteStored(h: HashInfo): void {
    this.known?.add(objectKey(h));
  }

  /** Forgets an object (after gc deleted it). */
  forget(h: HashInfo): void {
    this.known?.delete(objectKey(h));
  }

  async readBytes(h: HashInfo): Promise<Buffer> {
    return fs.readFile(this.path(h));
  }

  async readTree(h: HashInfo): Promise<TreeEntry[]> {
    return parseTree(await this.readBytes(h), objectKey(h));
  }

  /** DVC's rule: a 0444 object is trusted; otherwise re-hash it and report whether it matches. */
  async verify(h: HashInfo): Promise<boolean> {
    const p = this.path(h);
    const st = await fs.stat(p);
    if ((st.mode & 0o777) === 0o444) return true;
    const data = await fs.readFile(p);
    const want = h.value.replace(/\.dir$/, "");
    return hashBuffer(data, h.value.endsWith(".dir") ? "md5" : h.name) === want;
  }
}
