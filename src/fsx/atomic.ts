// Hand-written on purpose: a few lines with exactly our guarantees (same-directory temp, mode, cleanup).
// Atomic file writes: temp file in the destination directory, then rename over the final name.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { dirname, basename, join } from "node:path";
import { DiskFullError } from "../errors.js";

/** A temp name beside `path` that DVC and git both ignore (".<name>.<random>.tmp"). */
export function tmpPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes `data` to `path` atomically; readers see the old or the new content, never a mix.
 * An existing file keeps its permission bits; the parent directory is created when missing.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o666): Promise<void> {
  const tmp = tmpPathFor(path);
  try {
    await fs.mkdir(dirname(path), { recursive: true });
    await fs.writeFile(tmp, data, { mode, flag: "wx" });
    const old = await fs
      .stat(path)
      .catch((err: unknown) => (errCode(err) === "ENOENT" ? undefined : Promise.reject(err)));
    if (old) await fs.chmod(tmp, old.mode & 0o7777);
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true });
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
