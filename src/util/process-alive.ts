// Whether a process still runs, for stale-lock and worker checks.
import { readFileSync } from "node:fs";

/** Whether `pid` runs. A zombie (killed, not yet reaped by its parent) counts as gone where /proc says so. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists but not ours; ESRCH means gone
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true; // no /proc: kill(0) said it exists
  }
}
