// Helpers for the `dvx repro` suites: the built CLI as a child process (for signals, exit codes and the real
// process environment), a snapshot of what a run may have written, and dvc.lock reading.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { ensureBuilt, ROOT } from "./build.js";
import { parseLockFile } from "../../src/pipeline/lockfile.js";
import type { LockFile } from "../../src/pipeline/types.js";

export const BIN = join(ROOT, "bin/dvx.js");

/** The environment the built CLI gets: nothing from the test runner but PATH and HOME (and what a test adds). */
export const CLI_ENV: Record<string, string> = {
  HOME: process.env.HOME ?? "/root",
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  NO_COLOR: "1",
  DVC_GLOBAL_CONFIG_DIR: "/nonexistent-dvx-test",
  DVC_SYSTEM_CONFIG_DIR: "/nonexistent-dvx-test",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export interface ProcResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion. `env` entries set to undefined are removed. */
export function runBuilt(
  cwd: string,
  argv: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
): Promise<ProcResult> {
  ensureBuilt();
  const full = Object.fromEntries(Object.entries({ ...CLI_ENV, ...env }).filter(([, v]) => v !== undefined));
  return new Promise((res) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd, env: full, maxBuffer: 64 << 20, timeout: timeoutMs },
      (err, stdout, stderr) => {
        const e = err as { code?: unknown; signal?: NodeJS.Signals | null } | null;
        res({
          code: e ? (typeof e.code === "number" ? e.code : -1) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Starts the built CLI and collects its output; `done` resolves when it exits and its pipes are closed. */
export function startBuilt(
  cwd: string,
  argv: string[],
  env: Record<string, string | undefined> = {},
): { child: ChildProcess; out: () => string; done: Promise<ProcResult>; exited: Promise<number | null> } {
  ensureBuilt();
  const full = Object.fromEntries(Object.entries({ ...CLI_ENV, ...env }).filter(([, v]) => v !== undefined));
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: full, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const done = new Promise<ProcResult>((res) =>
    child.once("close", (code, signal) => res({ code: code ?? -1, signal, stdout, stderr })),
  );
  // `done` waits for the output pipes too, which a process the command left behind may hold open
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  return { child, out: () => stdout + stderr, done, exited };
}

/** Polls `cond` every 50 ms until it holds (throws after `ms`). */
export async function waitFor(cond: () => boolean, ms = 15_000, what = "a condition"): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process still runs (a zombie, already terminated and waiting to be reaped, counts as gone). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false; // gone between the two checks
  }
}

/** Pids of the live processes whose working directory is `dir` (or below it), read from /proc. */
export function processesIn(dir: string): number[] {
  dir = realpathSync(dir);
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if ((cwd === dir || cwd.startsWith(`${dir}/`)) && processRuns(Number(name))) out.push(Number(name));
    } catch {
      // gone, or not ours to look at
    }
  }
  return out;
}

/** Every file under `dir` (but .git) with its MD5, for "nothing was written" checks. */
export function snapshot(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      const rel = relative(dir, p).split(sep).join("/");
      if (rel === ".git" || skip(rel)) continue;
      const st = statSync(p);
      if (st.isDirectory()) visit(p);
      else out[rel] = createHash("md5").update(readFileSync(p)).digest("hex");
    }
  };
  visit(dir);
  return out;
}

/** The parsed dvc.lock beside `dvcYaml` (repo-relative), or null when there is none. */
export function readLock(dir: string, lockRel = "dvc.lock"): LockFile | null {
  const p = join(dir, lockRel);
  return existsSync(p) ? parseLockFile(readFileSync(p, "utf8"), lockRel) : null;
}

/** Stage names recorded in a dvc.lock (empty when there is none). */
export const lockedStages = (dir: string, lockRel = "dvc.lock"): string[] => [
  ...(readLock(dir, lockRel)?.stages.keys() ?? []),
];

/** Lines of a counter file a stage command appends to (0 when it does not exist). */
export const countLines = (path: string): number =>
  existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean).length : 0;
