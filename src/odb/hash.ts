// Content hashing: DVC 3 plain MD5 and DVC 2 "md5-dos2unix" (docs/formats.md §3). node:crypto does the work.
import { createHash, type Hash } from "node:crypto";
import { open } from "node:fs/promises";
import type { HashName } from "./types.js";

export const CHUNK = 1 << 20; // DVC's legacy hashing works on 1 MiB chunks

export const md5Hex = (data: Uint8Array | string): string => createHash("md5").update(data).digest("hex");

const TEXT = new Uint8Array(256);
for (let c = 32; c < 127; c++) TEXT[c] = 1;
for (const c of [10, 13, 9, 12, 8]) TEXT[c] = 1;

/** dvc-objects istextblock: empty, or no NUL and at most 30% bytes outside printable ASCII + \n\r\t\f\b. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let non = 0;
  for (const b of block) {
    if (b === 0) return false;
    if (TEXT[b] === 0) non++;
  }
  return non / block.length <= 0.3;
}

/** CRLF → LF inside one chunk when its first 512 bytes look like text. */
export function dos2unixChunk(chunk: Uint8Array): Uint8Array {
  if (!isTextBlock(chunk.subarray(0, 512))) return chunk;
  let i = chunk.indexOf(13);
  if (i < 0) return chunk;
  const out = Buffer.allocUnsafe(chunk.length);
  let w = 0;
  let r = 0;
  while (i >= 0) {
    if (chunk[i + 1] === 10) {
      out.set(chunk.subarray(r, i), w);
      w += i - r;
      r = i + 1; // drop the \r
    }
    i = chunk.indexOf(13, i + 1);
  }
  out.set(chunk.subarray(r), w);
  w += chunk.length - r;
  return out.subarray(0, w);
}

/** An incremental hasher for either algorithm; feed it the raw bytes in order. */
export class Hasher {
  private readonly h: Hash = createHash("md5");
  private pending: Buffer[] = [];
  private pendingLen = 0;

  constructor(readonly name: HashName) {}

  update(data: Uint8Array): void {
    if (this.name === "md5") {
      this.h.update(data);
      return;
    }
    // legacy: re-chunk into exact 1 MiB pieces, as DVC reads them
    this.pending.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.pendingLen += data.byteLength;
    while (this.pendingLen >= CHUNK) {
      const all = Buffer.concat(this.pending, this.pendingLen);
      this.h.update(dos2unixChunk(all.subarray(0, CHUNK)));
      const rest = all.subarray(CHUNK);
      this.pending = rest.length ? [Buffer.from(rest)] : [];
      this.pendingLen = rest.length;
    }
  }

  digest(): string {
    if (this.name === "md5-dos2unix" && this.pendingLen > 0) {
      this.h.update(dos2unixChunk(Buffer.concat(this.pending, this.pendingLen)));
      this.pending = [];
      this.pendingLen = 0;
    }
    return this.h.digest("hex");
  }
}

export function hashBuffer(data: Uint8Array, name: HashName): string {
  if (name === "md5") return md5Hex(data);
  const h = new Hasher(name);
  h.update(data);
  return h.digest();
}

/**
 * Reads a file through the hasher with one reused 4 MiB buffer (flat memory for any size);
 * returns the hex digest and the byte count read.
 */
export async function hashFileStream(path: string, name: HashName): Promise<{ value: string; size: number }> {
  const h = new Hasher(name);
  const fh = await open(path, "r");
  const buf = Buffer.allocUnsafe(4 * CHUNK);
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      // the legacy hasher keeps references to pending bytes: give it a copy
      h.update(name === "md5" ? buf.subarray(0, bytesRead) : Buffer.from(buf.subarray(0, bytesRead)));
      size += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { value: h.digest(), size };
}
