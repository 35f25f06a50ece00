// Hand-written on purpose: a few lines with exactly our guarantees (same-directory temp, mode, cleanup).
// Atomic file writes: temp file in the destination directory, then rename over the final name.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  promises as fs,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, basename, join } from "node:path";
import { DiskFullError } from "../errors.js";

/** A temp name beside `path` that DVC and git both ignore (".<name>.<random>.tmp"). */
export function tmpPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes `data` to `path` atomically; readers see the old or the new content, never a mix.
 * An existing file keeps its permission bits; the parent directory is created when missing.
 * The files written this way are small (dvc.lock, .gitignore, *.dvc, configs, run-cache entries): synchronous
 * calls cost microseconds each, where every thread-pool round trip costs 0.1-0.3 ms (a pipeline run writes
 * three such files per stage).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o666): Promise<void> {
  writeFileAtomicSync(path, data, mode);
}

export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o666): void {
  const tmp = tmpPathFor(path);
  let fd: number | undefined;
  try {
    const old = statSync(path, { throwIfNoEntry: false });
    try {
      fd = openSync(tmp, "wx", mode);
    } catch (err) {
      if (errCode(err) !== "ENOENT") throw err;
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(tmp, "wx", mode);
    }
    writeFileSync(fd, data);
    // keep an existing file's permission bits (a chmod only when the new file's differ: each metadata write counts)
    if (old && (fstatSync(fd).mode & 0o7777) !== (old.mode & 0o7777)) fchmodSync(fd, old.mode & 0o7777);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw mapWriteError(err, path);
  }
}

export function mapWriteError(err: unknown, path: string): unknown {
  if ((err as NodeJS.ErrnoException)?.code === "ENOSPC") return new DiskFullError(path, err);
  return err;
}

/** Removes a file, succeeding when it is already gone (ENOENT is the one expected code). */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await fs.unlink(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

export const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;
