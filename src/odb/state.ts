// The stat-keyed hash cache: (path, inode, size, mtime) → hash, so unchanged files are never re-read.
// A dvx-owned text file under .dvc/tmp/, rewritten atomically; safe to delete at any time.
import { readFileSync } from "node:fs";
import { errCode, writeFileAtomic } from "../fsx/atomic.js";
import { DirState } from "./dir-state.js";
import type { FileStat } from "../fsx/walk.js";
import type { HashName } from "./types.js";

const HEADER = "dvx-hash-cache 1\n";
/** Files modified this recently are not remembered: a second write in the same clock tick could hide. */
const RACY_MS = 50;

interface Entry {
  ino: number;
  size: number;
  mtime: number;
  value: string;
}

const keyOf = (rel: string, name: HashName): string => (name === "md5" ? rel : `\u0001${rel}`);

export class HashState {
  private loaded: Map<string, Entry> | undefined;
  private dirState: DirState | undefined;
  private dirty = false;

  /** Nothing is read until first use: per-file entries and directory records load separately. */
  private constructor(
    readonly file: string,
    private readonly dirsFile?: string,
  ) {}

  static load(file: string, dirsFile?: string): HashState {
    return new HashState(file, dirsFile);
  }

  /** Directory fingerprints (see dir-state.ts); kept beside the per-file entries. */
  get dirs(): DirState {
    return (this.dirState ??= new DirState(this.dirsFile ?? `${this.file}.dirs`));
  }

  private get map(): Map<string, Entry> {
    return (this.loaded ??= readEntries(this.file));
  }

  get(rel: string, stat: FileStat, name: HashName): string | undefined {
    const e = this.map.get(keyOf(rel, name));
    if (!e || e.ino !== stat.ino || e.size !== stat.size || e.mtime !== stat.mtimeMs) return undefined;
    return e.value;
  }

  set(rel: string, stat: FileStat, name: HashName, value: string, now = Date.now()): void {
    if (rel.includes("\n") || rel.includes("\t")) return;
    if (stat.mtimeMs > now - RACY_MS) return;
    const key = keyOf(rel, name);
    const old = this.map.get(key);
    if (old && old.value === value && old.ino === stat.ino && old.size === stat.size && old.mtime === stat.mtimeMs)
      return;
    this.map.set(key, { ino: stat.ino, size: stat.size, mtime: stat.mtimeMs, value });
    this.dirty = true;
  }

  async save(): Promise<void> {
    await this.dirState?.save();
    if (!this.dirty || !this.loaded) return;
    const lines: string[] = [HEADER];
    for (const [key, e] of this.loaded) lines.push(`${e.ino}\t${e.size}\t${e.mtime}\t${e.value}\t${key}\n`);
    await writeFileAtomic(this.file, lines.join(""));
    this.dirty = false;
  }
}

function readEntries(file: string): Map<string, Entry> {
  const map = new Map<string, Entry>();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (errCode(err) !== "ENOENT") throw err;
    return map;
  }
  if (!text.startsWith(HEADER)) return map; // unknown format: start over
  let pos = HEADER.length;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) break; // a torn last line is dropped
    const line = text.slice(pos, nl);
    pos = nl + 1;
    const f = line.split("\t");
    if (f.length !== 5) continue;
    const [ino, size, mtime, value, key] = f as [string, string, string, string, string];
    map.set(key, { ino: Number(ino), size: Number(size), mtime: Number(mtime), value });
  }
  return map;
}
