// A second, best-effort destination for bytes that arrive in order (a download): pull uses it to write the
// workspace copy of a file while the object downloads into the cache, so the data is not copied afterwards.
// Writes are positional and asynchronous; past MAX_PENDING bytes in flight a write is synchronous, which
// holds the producer back (memory stays bounded). Any failure only drops the copy: the download goes on.
import { close, ftruncateSync, openSync, rmSync, write, writeSync } from "node:fs";

const MAX_PENDING = 32 << 20;

export class CopySink {
  private fd: number | undefined;
  private pos = 0;
  private pendingBytes = 0;
  private readonly pending = new Set<Promise<void>>();
  private ok = true;

  constructor(readonly path: string) {}

  /** Writes not yet landed. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** A (re)started transfer: the file starts over. A retry while writes are still in flight drops the copy. */
  reset(): void {
    if (!this.ok) return;
    if (this.pending.size > 0) return this.fail();
    try {
      if (this.fd === undefined) this.fd = openSync(this.path, "w", 0o666);
      else ftruncateSync(this.fd, 0);
      this.pos = 0;
    } catch {
      this.fail();
    }
  }

  write(chunk: Uint8Array): void {
    if (!this.ok || this.fd === undefined) return;
    const at = this.pos;
    this.pos += chunk.length;
    const fd = this.fd;
    if (this.pendingBytes >= MAX_PENDING) {
      try {
        for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off, chunk.length - off, at + off);
      } catch {
        this.fail();
      }
      return;
    }
    this.pendingBytes += chunk.length;
    const p = writeAll(fd, chunk, at)
      .catch(() => this.fail())
      .finally(() => {
        this.pendingBytes -= chunk.length;
        this.pending.delete(p);
      });
    this.pending.add(p);
  }

  /** Waits for the writes and closes the file: true when it holds exactly `size` bytes (else it is deleted). */
  async finish(size: number): Promise<boolean> {
    await Promise.all(this.pending);
    await this.closeFd();
    if (this.ok && this.pos === size) return true;
    this.discard();
    return false;
  }

  /** Closes and deletes the file (the transfer failed or the copy is not wanted). */
  async abandon(): Promise<void> {
    this.fail();
    await Promise.all(this.pending);
    await this.closeFd();
    this.discard();
  }

  private fail(): void {
    this.ok = false;
  }

  private async closeFd(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    await new Promise<void>((resolve) => close(fd, () => resolve()));
  }

  private discard(): void {
    rmSync(this.path, { force: true });
  }
}

function writeAll(fd: number, chunk: Uint8Array, at: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const step = (off: number): void => {
      write(fd, chunk, off, chunk.length - off, at + off, (err, n) => {
        if (err) return reject(err);
        if (off + n < chunk.length) return step(off + n);
        resolve();
      });
    };
    step(0);
  });
}
