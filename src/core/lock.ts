// Hand-written on purpose: lock libraries lack the holder's pid/command in the message and stale takeover.
// The repository write lock: .dvc/tmp/dvx.lock, created exclusively, holding the owner's pid and command.
// A second writer waits (polling) up to a timeout, then fails naming the holder; a lock whose pid is gone
// (a killed process) is stale and taken over. Read-only commands never take it.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { promises as fs, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { InterruptedError, LockBusyError } from "../errors.js";
import { errCode } from "../fsx/atomic.js";
import { processAlive } from "../util/process-alive.js";
import type { Repo } from "./repo.js";

export interface LockInfo {
  pid: number;
  host: string;
  cmd: string;
  since: string;
}

export interface RepoLock {
  release(): Promise<void>;
}

async function readHolder(path: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await fs.readFile(path, "utf8")) as LockInfo;
  } catch (err) {
    if (errCode(err) === "ENOENT") return null;
    return { pid: 0, host: "", cmd: "?", since: "" }; // torn write by a killed holder: treat as stale
  }
}

const isStale = (holder: LockInfo, host: string): boolean =>
  holder.pid === 0 || (holder.host === host && !processAlive(holder.pid));

/**
 * Removes the lock only if it is still the stale one, under a second exclusive "takeover" file so that
 * two waiters cannot both remove locks (one of them possibly fresh). A takeover file older than 10 s
 * belongs to a killed process and is removed.
 */
async function takeOverIfStale(path: string, host: string, pid: number): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await fs.writeFile(guard, `${pid}\n`, { flag: "wx" });
  } catch (err) {
    if (errCode(err) !== "EEXIST") throw err;
    const st = await fs.stat(guard).catch((e: unknown) => (errCode(e) === "ENOENT" ? null : Promise.reject(e)));
    if (st && Date.now() - st.mtimeMs > 10_000) await fs.rm(guard, { force: true });
    return;
  }
  try {
    const holder = await readHolder(path);
    if (holder && isStale(holder, host)) await fs.rm(path, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

/** Locks this process holds (path → holder pid). Should it exit without releasing them (a second Ctrl-C exits at
 * once), they are removed on the way out rather than left for the next command to find stale. */
const held = new Map<string, number>();
function releaseHeldSync(): void {
  for (const [path, pid] of held) {
    try {
      if ((JSON.parse(readFileSync(path, "utf8")) as LockInfo).pid === pid) rmSync(path, { force: true });
    } catch {
      // gone or unreadable: nothing of ours to remove
    }
  }
}
function hold(path: string, pid: number | null): void {
  if (pid !== null) {
    if (held.size === 0) process.on("exit", releaseHeldSync);
    held.set(path, pid);
  } else if (held.delete(path) && held.size === 0) process.off("exit", releaseHeldSync);
}

export async function acquireLock(
  tmpDir: string,
  cmd: string,
  timeoutMs: number,
  pid = process.pid,
  signal?: AbortSignal,
): Promise<RepoLock> {
  const path = join(tmpDir, "dvx.lock");
  await fs.mkdir(tmpDir, { recursive: true });
  const me: LockInfo = { pid, host: hostname(), cmd, since: new Date().toISOString() };
  // the content is written first and hard-linked into place: nobody ever sees a half-written lock
  const mine = `${path}.${pid}.${randomBytes(4).toString("hex")}`;
  await fs.writeFile(mine, JSON.stringify(me) + "\n");
  const started = Date.now();
  let delay = 25;
  try {
    for (;;) {
      try {
        await fs.link(mine, path);
        hold(path, pid);
        return {
          release: async () => {
            const cur = await readHolder(path);
            if (cur && cur.pid === pid) await fs.rm(path, { force: true });
            hold(path, null);
          },
        };
      } catch (err) {
        if (errCode(err) !== "EEXIST") throw err;
      }
      const holder = await readHolder(path);
      if (holder && isStale(holder, me.host)) {
        await takeOverIfStale(path, me.host, pid);
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= timeoutMs) {
        const who = holder
          ? `'${holder.cmd}' (pid ${holder.pid}${holder.host !== me.host ? ` on ${holder.host}` : ""})`
          : "another process";
        throw new LockBusyError(path, who, waited);
      }
      // an interrupt (Ctrl-C of a command that handles it) ends the wait
      if (signal?.aborted) throw new InterruptedError(cmd);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 500);
    }
  } finally {
    await fs.rm(mine, { force: true });
  }
}

/**
 * Runs `fn` while holding the repository write lock (waiting up to `repo.lockTimeoutMs` for another writer, or
 * until `signal` aborts); the lock is released however `fn` ends. `command` names the holder in a waiting
 * writer's message.
 */
export async function withLock<T>(repo: Repo, command: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const lock = await acquireLock(repo.tmpDir, command, repo.lockTimeoutMs, process.pid, signal);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
