// Walks a DVC-layout object store on disk (a local remote or a cache) and checks its objects.
// An object's key is "files/md5/<2 hex>/<30 hex>[.dir]" (or the legacy "<2 hex>/<30 hex>[.dir]").
import { createHash } from "node:crypto";
import { createReadStream, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const OBJECT_KEY = /^(files\/md5\/)?[0-9a-f]{2}\/[0-9a-f]{30}(\.dir)?$/;

export interface StoreFile {
  /** Path relative to the store root, with "/" separators. */
  key: string;
  abs: string;
  mode: number;
  size: number;
}

/** Every regular file under `root` (empty when root does not exist). */
export function walkStore(root: string): StoreFile[] {
  const out: StoreFile[] = [];
  const visit = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      if ((err as { code?: string }).code === "ENOENT") return; // no store yet
      throw err;
    }
    for (const name of names) {
      const abs = join(dir, name);
      const st = statSync(abs);
      if (st.isDirectory()) visit(abs);
      else if (st.isFile())
        out.push({ key: relative(root, abs).split(sep).join("/"), abs, mode: st.mode & 0o777, size: st.size });
    }
  };
  visit(root);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Keys of the objects (files named like an object) in the store. */
export function objectKeys(root: string): string[] {
  return walkStore(root)
    .map((f) => f.key)
    .filter((k) => OBJECT_KEY.test(k));
}

/** The remote key of an md5 oid ("abc…" or "abc….dir"). */
export function keyOf(oid: string): string {
  return `files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;
}

export function oidOfKey(key: string): string {
  const m = /([0-9a-f]{2})\/([0-9a-f]{30}(?:\.dir)?)$/.exec(key);
  if (!m) throw new Error(`not an object key: ${key}`);
  return `${m[1]}${m[2]}`;
}

export function md5Hex(data: string | Buffer): string {
  return createHash("md5").update(data).digest("hex");
}

export async function md5File(abs: string): Promise<string> {
  const h = createHash("md5");
  for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/**
 * Hashes every object in the store; returns the keys whose content does not hash to their name
 * (a .dir object hashes to its name without ".dir").
 */
export async function badObjects(root: string): Promise<string[]> {
  const bad: string[] = [];
  for (const f of walkStore(root)) {
    if (!OBJECT_KEY.test(f.key)) continue;
    const want = oidOfKey(f.key).replace(/\.dir$/, "");
    if ((await md5File(f.abs)) !== want) bad.push(f.key);
  }
  return bad;
}

/** Files in the store that are not objects (temp files, stray files). */
export function strayFiles(root: string): string[] {
  return walkStore(root)
    .map((f) => f.key)
    .filter((k) => !OBJECT_KEY.test(k));
}
