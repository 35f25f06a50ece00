// lstat for the hot walk of large directory outputs, without fs.Stats. On Node 20 every fs.Stats builds four
// Date objects; for 100k files that is ~100 ms of a `status`, more than the lstat calls themselves. Node's own
// fs binding returns the raw fields (the same Float64Array fs.lstatSync reads them from), so this reads them
// directly. It is an internal interface: the first call checks it against fs.lstatSync field by field, and
// any difference, absence or oddity switches to fs.lstatSync for the rest of the process.
import { lstatSync } from "node:fs";
import type { FileStat } from "./walk.js";

type RawLstat = (path: string) => Float64Array;

// fields of the binding's stat array (src/node_file.h, FsStatsOffset)
const MODE = 1;
const INO = 7;
const SIZE = 8;
const MTIME_SEC = 12;
const MTIME_NSEC = 13;

let raw: RawLstat | null | undefined; // undefined: not probed yet; null: use fs.lstatSync

const viaFs = (path: string): FileStat => {
  const st = lstatSync(path);
  return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
};

const viaRaw = (a: Float64Array): FileStat => ({
  ino: a[INO]!,
  size: a[SIZE]!,
  mtimeMs: a[MTIME_SEC]! * 1000 + a[MTIME_NSEC]! / 1e6,
  mode: a[MODE]!,
});

function binding(): RawLstat | null {
  // --pending-deprecation on the command line would make process.binding print a warning: not worth it
  if (process.execArgv.includes("--pending-deprecation")) return null;
  try {
    const fs = (process as unknown as { binding(name: string): { lstat?: unknown } }).binding("fs");
    const fn = fs.lstat;
    if (typeof fn !== "function") return null;
    return (path) =>
      (fn as (p: string, bigint: boolean, req: undefined, throwIfNoEntry: boolean) => Float64Array).call(
        fs,
        path,
        false,
        undefined,
        true,
      );
  } catch {
    return null;
  }
}

/** lstat of a path as a FileStat; throws like fs.lstatSync (ENOENT, EACCES...). */
export function fastLstat(path: string): FileStat {
  if (raw === null) return viaFs(path);
  if (raw === undefined) {
    const want = viaFs(path); // throws for a bad path, before anything is decided
    const fn = binding();
    let got: FileStat | undefined;
    try {
      const a = fn?.(path);
      if (a instanceof Float64Array && a.length >= 14) got = viaRaw(a);
    } catch {
      got = undefined;
    }
    raw =
      got !== undefined &&
      got.ino === want.ino &&
      got.size === want.size &&
      got.mtimeMs === want.mtimeMs &&
      got.mode === want.mode
        ? fn
        : null;
    return want;
  }
  return viaRaw(raw(path));
}

/** Test hook: forget the probe result (the next call probes again). */
export function resetFastLstat(mode?: "fs"): void {
  raw = mode === "fs" ? null : undefined;
}

/** Which implementation is in use (after the first call): for tests and `dvx version -v` style diagnostics. */
export const fastLstatMode = (): "raw" | "fs" | "unprobed" =>
  raw === undefined ? "unprobed" : raw === null ? "fs" : "raw";
