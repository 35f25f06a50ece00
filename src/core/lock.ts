// The repository write lock: .dvc/tmp/dvx.lock, created exclusively, holding the owner's pid and command.
// A second writer waits (polling) up to a timeout, then fails naming the holder; a lock whose pid is gone
// (a killed process) is stale and taken over. Read-only commands never take it.
import { hostname } from "node:os";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { LockBusyError } from "../errors.js";
import { errCode } from "../fsx/atomic.js";

export interface LockInfo {
  pid: number;
  host: string;
  cmd: string;
  since: string;
}

export interface RepoLock {
  release(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === "EPERM"; // exists but not ours; ESRCH means gone
  }
};

async function readHolder(path: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await fs.readFile(path, "utf8")) as LockInfo;
  } catch (err) {
    if (errCode(err) === "ENOENT") return null;
    return { pid: 0, host: "", cmd: "?", since: "" }; // torn write by a killed holder: treat as stale
  }
}

export async function acquireLock(tmpDir: string, cmd: string, timeoutMs: number, pid = process.pid): Promise<RepoLock> {
  const path = join(tmpDir, "dvx.lock");
  await fs.mkdir(tmpDir, { recursive: true });
  const me: LockInfo = { pid, host: hostname(), cmd, since: new Date().toISOString() };
  const started = Date.now();
  let delay = 25;
  for (;;) {
    try {
      await fs.writeFile(path, JSON.stringify(me) + "\n", { flag: "wx" });
      return {
        release: async () => {
          const cur = await readHolder(path);
          if (cur && cur.pid === pid) await fs.rm(path, { force: true });
        },
      };
    } catch (err) {
      if (errCode(err) !== "EEXIST") throw err;
    }
    const holder = await readHolder(path);
    if (holder && (holder.pid === 0 || (holder.host === me.host && !alive(holder.pid)))) {
      await fs.rm(path, { force: true }); // stale: its process is gone
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) {
      const who = holder ? `'${holder.cmd}' (pid ${holder.pid}${holder.host !== me.host ? ` on ${holder.host}` : ""})` : "another process";
      throw new LockBusyError(path, who, waited);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}
