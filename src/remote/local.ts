// Directory remote: `/mnt/store` laid out exactly like DVC's local remote (files/md5/ab/cdef…, mode 0444).
// Writes go to "<final>.<random>.tmp" beside the final name and are renamed into place, so a reader never
// sees a partial object under its final key.

import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, opendir, rename, stat, unlink } from "node:fs/promises";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { bulkCopy, bulkCopyAvailable } from "../fsx/bulk-copy.js";
import { DiskFullError, FileChangedError, PathNotFoundError, UnsafePathError } from "../errors.js";
import { REMOTE_CODES, RemoteObjectMissingError, remoteError } from "./remote-errors.js";
import type { RemoteStore } from "./types.js";

const TMP_SUFFIX = /\.[0-9a-f]{16}\.tmp$/;

export interface LocalRemoteInit {
  /** Absolute path of the remote's root directory. */
  root: string;
  /** Concurrency hint; default 16. */
  jobs?: number;
}

/** The shape of an object key (DVC 3 and 2 layouts): nothing in it can leave the remote's root. */
const OBJECT_KEY = /^(?:files\/md5\/)?[0-9a-f]{2}\/[0-9a-f]{30}(?:\.dir)?$/;

export class LocalRemote implements RemoteStore {
  readonly url: string;
  readonly defaultJobs: number;
  private readonly root: string;
  private readonly madeDirs = new Set<string>();
  private prefix: string | undefined;

  constructor(init: LocalRemoteInit) {
    this.root = init.root;
    this.url = init.root;
    this.defaultJobs = init.jobs ?? 16;
  }

  async exists(key: string): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return false;
      throw this.mapError(err, "check", key);
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const st = await stat(this.pathOf(key));
      return st.isFile() ? st.size : undefined;
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return undefined;
      throw this.mapError(err, "check", key);
    }
  }

  async trusted(key: string): Promise<boolean> {
    try {
      const st = await stat(this.pathOf(key));
      return st.isFile() && (st.mode & 0o777) === 0o444;
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return false;
      throw this.mapError(err, "check", key);
    }
  }

  async statMany(keys: string[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (const key of keys) {
      const st = statSync(this.pathOf(key), { throwIfNoEntry: false });
      if (st?.isFile()) out.set(key, (st.mode & 0o777) === 0o444);
    }
    return out;
  }

  async putMany(
    items: Array<{ key: string; localPath: string }>,
    onProgress?: (n: number) => void,
  ): Promise<{ bytes: number; errors: Array<{ index: number; error: unknown }> }> {
    const errors: Array<{ index: number; error: unknown }> = [];
    let bytes = 0;
    if (items.length < 2000 || !bulkCopyAvailable()) {
      for (let i = 0; i < items.length; i++) {
        try {
          const size = statSync(items[i]!.localPath).size;
          await this.put(items[i]!.key, items[i]!.localPath, size);
          bytes += size;
        } catch (error) {
          errors.push({ index: i, error });
        }
        onProgress?.(1);
      }
      return { bytes, errors };
    }
    // sorted by key, so each worker fills its own fan-out directories
    const order = items.map((_, i) => i).sort((a, b) => (items[a]!.key < items[b]!.key ? -1 : 1));
    const copies = order.map((i) => ({ src: items[i]!.localPath, dest: this.pathOf(items[i]!.key), mode: 0o444 }));
    const res = await bulkCopy(copies, { onProgress: (n) => onProgress?.(n) });
    for (const e of res.errors) {
      const i = order[e.index]!;
      errors.push({
        index: i,
        error: this.mapError(Object.assign(new Error(e.message), { code: e.code }), "upload", items[i]!.key),
      });
    }
    return { bytes: res.bytes, errors: errors.sort((a, b) => a.index - b.index) };
  }

  async *list(prefix: string): AsyncIterable<string> {
    const cut = prefix.lastIndexOf("/");
    const dirKey = cut < 0 ? "" : prefix.slice(0, cut);
    if (dirKey !== "") this.assertSafeKey(dirKey);
    for await (const key of this.walk(dirKey)) {
      if (key.startsWith(prefix) && !TMP_SUFFIX.test(key)) yield key;
    }
  }

  async put(key: string, localPath: string, size: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const final = this.pathOf(key);
    const src = await statSource(localPath);
    if (src.size !== size) throw new FileChangedError(localPath);
    const tmp = `${final}.${randomBytes(8).toString("hex")}.tmp`;
    try {
      const dir = dirname(final);
      if (!this.madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      await copyFile(localPath, tmp); // a plain copy: reflinks (FICLONE) rarely span to a remote's filesystem
      signal?.throwIfAborted();
      await chmod(tmp, 0o444);
      await rename(tmp, final);
    } catch (err) {
      await unlink(tmp).catch(() => undefined); // best effort: the tmp file may not exist yet (ENOENT)
      if (err instanceof FileChangedError || signal?.aborted === true) throw err;
      throw this.mapError(err, "upload", key);
    }
  }

  async get(key: string, destPath: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const src = this.pathOf(key);
    try {
      await copyFile(src, destPath);
      await chmod(destPath, 0o644); // copyFile copies the 0444 mode; the caller owns destPath
    } catch (err) {
      const code = errno(err);
      if (code === "ENOENT" && !(await this.exists(key))) throw new RemoteObjectMissingError(this.url, key, err);
      if (code === "ENOSPC" || code === "EDQUOT") throw new DiskFullError(destPath, err);
      throw this.mapError(err, "download", key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const path = this.pathOf(key);
      try {
        await unlink(path);
      } catch (err) {
        const code = errno(err);
        if (code === "ENOENT") continue;
        if (code !== "EPERM" && code !== "EACCES") throw this.mapError(err, "delete", key);
        try {
          await chmod(path, 0o644); // some filesystems refuse to unlink read-only files
          await unlink(path);
        } catch (err2) {
          if (errno(err2) !== "ENOENT") throw this.mapError(err2, "delete", key);
        }
      }
    }
  }

  async close(): Promise<void> {}

  private pathOf(key: string): string {
    // object keys (the usual case) are safe by their shape: no split/join per key
    if (OBJECT_KEY.test(key)) return (this.prefix ??= join(this.root, "/")) + key;
    this.assertSafeKey(key);
    return join(this.root, ...key.split("/"));
  }

  private assertSafeKey(key: string): void {
    const bad =
      key === "" ||
      key.includes("\\") ||
      key.includes("\0") ||
      key.split("/").some((s) => s === "" || s === "." || s === "..");
    if (bad) throw new UnsafePathError(key, this.url);
  }

  private async *walk(dirKey: string): AsyncGenerator<string> {
    const abs = dirKey === "" ? this.root : join(this.root, ...dirKey.split("/"));
    let dir;
    try {
      dir = await opendir(abs);
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return;
      throw this.mapError(err, "list", dirKey);
    }
    for await (const ent of dir) {
      const key = dirKey === "" ? ent.name : `${dirKey}/${ent.name}`;
      if (ent.isDirectory()) yield* this.walk(key);
      else if (ent.isFile() || ent.isSymbolicLink()) yield key;
    }
  }

  private mapError(err: unknown, action: string, key: string): Error {
    const code = errno(err);
    const details = { remote: this.url, key, errno: code ?? null };
    const what = `cannot ${action} '${key}' on the remote '${this.url}'`;
    switch (code) {
      case "EACCES":
      case "EPERM":
        return remoteError(
          REMOTE_CODES.permission,
          `${what}: permission denied`,
          `check the permissions of '${this.root}' for the current user`,
          details,
          err,
        );
      case "ENOSPC":
      case "EDQUOT":
        return remoteError(
          REMOTE_CODES.diskFull,
          `${what}: no space left on the device`,
          `free some space on the disk that holds '${this.root}'`,
          details,
          err,
        );
      case "EROFS":
        return remoteError(
          REMOTE_CODES.readOnly,
          `${what}: the file system is read-only`,
          "mount it read-write, or push to another remote",
          details,
          err,
        );
      default:
        return remoteError(
          REMOTE_CODES.io,
          `${what}: ${err instanceof Error ? err.message : String(err)}`,
          undefined,
          details,
          err,
        );
    }
  }
}

async function statSource(localPath: string): Promise<{ size: number }> {
  try {
    return await stat(localPath);
  } catch (err) {
    if (errno(err) === "ENOENT") throw new PathNotFoundError(localPath);
    throw err;
  }
}

function errno(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
