// Processes a killed worker leaves behind. A stage command runs in its own process group (so an interrupt can end
// it and all it started), which also means it outlives a worker killed with SIGKILL. Every worker, and so every
// process it starts, carries DVX_QUEUE_TASK=<token> in its environment; after the worker is gone, the processes
// still carrying the token are found in /proc and killed. Where there is no /proc (macOS), nothing is found.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { processAlive } from "../../util/process-alive.js";

export const TASK_ENV = "DVX_QUEUE_TASK";

/** Pids of live processes whose environment holds DVX_QUEUE_TASK=<token> (readable ones: our own user's). */
/**
 * True when `pid` is a live process carrying `token` in its environment: a recorded worker pid, checked before
 * it is signalled (after a reboot the pid may belong to anything). Without /proc, a live pid is trusted.
 */
export function isTaggedWorker(pid: number, token: string): boolean {
  if (!processAlive(pid)) return false;
  if (!existsSync("/proc/self/environ")) return true;
  try {
    return envHas(readFileSync(`/proc/${pid}/environ`), token);
  } catch {
    return false; // gone, or not ours to read: not our worker
  }
}

const envHas = (environ: Buffer, token: string): boolean =>
  Buffer.concat([Buffer.from([0]), environ, Buffer.from([0])]).includes(Buffer.from(`\0${TASK_ENV}=${token}\0`));

export function taggedProcesses(token: string): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (envHas(readFileSync(`/proc/${name}/environ`), token)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Sends `signal` to a process group (or the process alone when it leads none); false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals, group = true): boolean {
  try {
    process.kill(group ? -pid : pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** SIGKILLs every process (and its group) still tagged with `token`; returns how many there were. */
export function reapTagged(token: string): number {
  const pids = taggedProcesses(token);
  for (const pid of pids) signalProcess(pid, "SIGKILL");
  return pids.length;
}
