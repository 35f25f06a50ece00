// Runs one stage command line exactly as DVC does (docs/formats.md §8.6a): through the user's shell ($SHELL,
// else /bin/sh) without rc files (bash --noprofile --norc, zsh --no-rcs), in the stage's wdir, with DVC_ROOT
// (kept when the caller set it) and DVC_STAGE. Each command runs in its own process group, so an interrupt
// can stop the command and everything it started. Output goes straight to our stdout/stderr, or, when stages
// run in parallel, line by line to a callback that names the stage (never a line cut in the middle).
import { spawn } from "node:child_process";
import { basename } from "node:path";
import type { Readable } from "node:stream";

export type OutputMode =
  | { kind: "inherit" }
  /** --json: the command's stdout goes to our stderr, so stdout holds only the JSON document. */
  | { kind: "stderr" }
  | { kind: "lines"; write: (stream: "stdout" | "stderr", line: string) => void };

export interface CommandOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  output: OutputMode;
  signal?: AbortSignal;
  /** How long an interrupted command gets to exit after SIGTERM before SIGKILL. */
  killAfterMs?: number;
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The shell invocation DVC uses: [executable, ...args]. */
export function shellArgs(shell: string | undefined, cmd: string): [string, string[]] {
  const exe = shell && shell !== "" ? shell : "/bin/sh";
  const name = basename(exe).toLowerCase();
  const opts = name === "bash" ? ["--noprofile", "--norc"] : name === "zsh" ? ["--no-rcs"] : [];
  return [exe, [...opts, "-c", cmd]];
}

/** Splits a stream into lines (a trailing partial line is flushed at the end). */
function pipeLines(stream: Readable, write: (line: string) => void): Promise<void> {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const text = rest + chunk;
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const l of lines) write(l);
  });
  return new Promise((done) =>
    stream.on("close", () => {
      if (rest !== "") write(rest);
      done();
    }),
  );
}

/**
 * Process groups of the commands running now. Should dvx exit before they end (a second Ctrl-C exits at once,
 * before the SIGKILL escalation below), they are killed with it rather than left running.
 */
const liveGroups = new Set<number>();
function killLiveGroups(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // ESRCH: the group is gone already
    }
  }
}
function track(pid: number | undefined, live: boolean): void {
  if (pid === undefined) return;
  if (live) {
    if (liveGroups.size === 0) process.on("exit", killLiveGroups);
    liveGroups.add(pid);
  } else if (liveGroups.delete(pid) && liveGroups.size === 0) process.off("exit", killLiveGroups);
}

/**
 * Resolves when the output pipes close. A command may leave a background process holding them (a server it
 * started), which DVC, whose children inherit its output, does not wait for: once the command has exited and
 * the pipes have been quiet for `idleMs`, this resolves. The pipes stay open and read (closing them would kill
 * that process with SIGPIPE on its next write) but no longer keep dvx alive. The check runs after a poll phase
 * (setImmediate), so what the command wrote before exiting is read first.
 */
function drained(piped: Promise<void>[], streams: Array<Readable | null>, idleMs = 200): Promise<void> {
  if (piped.length === 0) return Promise.resolve();
  let seen = 0;
  for (const s of streams) s?.on("data", () => void seen++);
  return new Promise((done) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const last = seen;
      timer = setTimeout(
        () =>
          setImmediate(() => {
            if (seen !== last) return arm();
            for (const s of streams) (s as { unref?: () => void } | null)?.unref?.();
            done();
          }),
        idleMs,
      );
    };
    void Promise.all(piped).then(() => {
      clearTimeout(timer);
      done();
    });
    arm();
  });
}

export function runCommand(cmd: string, opts: CommandOptions): Promise<CommandResult> {
  const [exe, args] = shellArgs(opts.env.SHELL, cmd);
  const mode = opts.output;
  const stdio: Array<"ignore" | "pipe" | "inherit" | number> =
    mode.kind === "inherit"
      ? ["ignore", "inherit", "inherit"]
      : mode.kind === "stderr"
        ? ["ignore", 2, 2]
        : ["ignore", "pipe", "pipe"];
  const child = spawn(exe, args, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio, detached: true });
  track(child.pid, true);
  const piped: Promise<void>[] = [];
  if (mode.kind === "lines") {
    piped.push(pipeLines(child.stdout!, (l) => mode.write("stdout", l)));
    piped.push(pipeLines(child.stderr!, (l) => mode.write("stderr", l)));
  }
  return new Promise((resolve, reject) => {
    let killer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      const group = (sig: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, sig);
        } catch {
          // ESRCH: the group is gone already
        }
      };
      group("SIGTERM");
      killer = setTimeout(() => group("SIGKILL"), opts.killAfterMs ?? 5000);
      killer.unref();
    };
    if (opts.signal?.aborted) stop();
    opts.signal?.addEventListener("abort", stop, { once: true });
    child.once("error", (err) => {
      track(child.pid, false);
      opts.signal?.removeEventListener("abort", stop);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      track(child.pid, false);
      opts.signal?.removeEventListener("abort", stop);
      if (killer) clearTimeout(killer);
      void drained(piped, [child.stdout, child.stderr]).then(() => resolve({ code, signal }));
    });
  });
}
