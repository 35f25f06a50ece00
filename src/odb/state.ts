// The stat-keyed hash cache: (path, inode, size, mtime) → hash, so unchanged files are never re-read.
// A dvx-owned text file under .dvc/tmp/, rewritten atomically; safe to delete at any time.
import { readFileSync } from "node:fs";
import type { Stats } from "node:fs";
import { errCode, writeFileAtomic } from "../fsx/atomic.js";
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
  private readonly map = new Map<string, Entry>();
  private dirty = false;

  private constructor(readonly file: string) {}

  static load(file: string): HashState {
    const st = new HashState(file);
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if (errCode(err) !== "ENOENT") throw err;
      return st;
    }
    if (!text.startsWith(HEADER)) return st; // unknown format: start over
    let pos = HEADER.length;
    while (pos < text.length) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0) break; // a torn last line is dropped
      const line = text.slice(pos, nl);
      pos = nl + 1;
      const f = line.split("\t");
      if (f.length !== 5) continue;
      const [ino, size, mtime, value, key] = f as [string, string, string, string, string];
      st.map.set(key, { ino: Number(ino), size: Number(size), mtime: Number(mtime), value });
    }
    return st;
  }

  get(rel: string, stat: Stats, name: HashName): string | undefined {
    const e = this.map.get(keyOf(rel, name));
    if (!e || e.ino !== stat.ino || e.size !== stat.size || e.mtime !== stat.mtimeMs) return undefined;
    return e.value;
  }

  set(rel: string, stat: Stats, name: HashName, value: string, now = Date.now()): void {
    if (rel.includes("\n") || rel.includes("\t")) return;
    if (stat.mtimeMs > now - RACY_MS) return;
    const key = keyOf(rel, name);
    const old = this.map.get(key);
    if (old && old.value === value && old.ino === stat.ino && old.size === stat.size && old.mtime === stat.mtimeMs) return;
    this.map.set(key, { ino: stat.ino, size: stat.size, mtime: stat.mtimeMs, value });
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    const lines: string[] = [HEADER];
    for (const [key, e] of this.map) lines.push(`${e.ino}\t${e.size}\t${e.mtime}\t${e.value}\t${key}\n`);
    await writeFileAtomic(this.file, lines.join(""));
    this.dirty = false;
  }
}
