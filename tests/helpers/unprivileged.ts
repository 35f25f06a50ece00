// Some failures can only be staged as a user without root's powers (root reads unreadable files and writes into
// read-only directories). When the tests run as root (CI), those cases run in a child process as `nobody`
// through setpriv (util-linux); otherwise as ourselves.
import { chmodSync, cpSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpDir } from "./tmp-repo.js";

export const isRoot = process.getuid?.() === 0;

/** argv as an unprivileged user when we are root (uid/gid 65534, no supplementary groups). */
export const asUnprivileged = (argv: string[]): string[] =>
  isRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...argv] : argv;

/** Lets other users read and traverse `path` (recursively), and traverse its ancestors. */
export function openToOthers(path: string): void {
  const walk = (p: string): void => {
    const st = statSync(p);
    chmodSync(p, st.mode | (st.isDirectory() ? 0o555 : 0o444));
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(path);
  for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
    const st = statSync(d);
    if ((st.mode & 0o001) === 0) chmodSync(d, st.mode | 0o111);
  }
}

/** A copy of `dir` in a fresh temp directory that other users can read (for code they must import). */
export function readableCopy(dir: string): string {
  const dest = join(tmpDir(), "copy");
  cpSync(dir, dest, { recursive: true });
  openToOthers(dest);
  return dest;
}
