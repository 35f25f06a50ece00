// Lists the objects stored in a local cache (DVC 3 and legacy layouts) and stale temp files.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { errCode } from "../fsx/atomic.js";
import type { HashInfo } from "./types.js";

const FAN = /^[0-9a-f]{2}$/;
const REST = /^[0-9a-f]{30}(\.dir)?$/;

function readDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return [];
    throw err;
  }
}

export function listCacheObjects(cacheRoot: string): HashInfo[] {
  const out: HashInfo[] = [];
  const scan = (base: string, name: HashInfo["name"]): void => {
    for (const fan of readDir(base)) {
      if (!FAN.test(fan)) continue;
      for (const rest of readDir(join(base, fan))) if (REST.test(rest)) out.push({ name, value: fan + rest });
    }
  };
  scan(join(cacheRoot, "files", "md5"), "md5");
  scan(cacheRoot, "md5-dos2unix");
  return out;
}

/** Temp files left by killed writers (".<random>.tmp") older than `olderThanMs`. */
export function listStaleTemps(cacheRoot: string, olderThanMs: number, now = Date.now()): string[] {
  const out: string[] = [];
  const base = join(cacheRoot, "files", "md5");
  const check = (dir: string): void => {
    for (const n of readDir(dir)) {
      if (!n.startsWith(".") || !n.endsWith(".tmp")) continue;
      const p = join(dir, n);
      if (now - statSync(p).mtimeMs > olderThanMs) out.push(p);
    }
  };
  check(base);
  for (const fan of readDir(base)) if (FAN.test(fan)) check(join(base, fan));
  return out;
}
