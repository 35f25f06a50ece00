// The only handle on process streams, env and TTY facts. Tests pass a fake.
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  umask: number;
  /** Reads all of stdin as UTF-8; undefined when stdin is a terminal (nothing is piped in). */
  readStdin?: () => Promise<string>;
  /** Asks a yes/no question on a TTY; undefined when there is no TTY to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  /**
   * An AbortSignal that fires on SIGINT/SIGTERM while `fn` runs (instead of Node's default exit), so long
   * commands can stop their children and clean up. Without it (tests), nothing interrupts.
   */
  interruptible?: <T>(fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  /** Opens a file:// or http(s):// URL in the user's browser; false when there is none. Undefined in tests. */
  openUrl?: (url: string) => Promise<boolean>;
}

export function realIo(): CliIo {
  const umask = process.umask();
  // A reader that stops early (`dvx exp show --json | head`) closes the pipe: later output is dropped instead of
  // an unhandled EPIPE crashing a command that may still be writing the repository.
  let stdoutClosed = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    stdoutClosed = true;
  });
  return {
    stdout: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    stderr: (s) => void process.stderr.write(s),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    umask,
    // getters: touching process.stdin loads its stream classes (~2 ms), which most commands never need
    get readStdin() {
      if (process.stdin.isTTY) return undefined;
      return async (): Promise<string> => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
      };
    },
    get confirm() {
      if (!process.stdin.isTTY) return undefined;
      return async (question: string): Promise<boolean> => {
        const { createInterface } = await import("node:readline/promises");
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
        } finally {
          rl.close();
        }
      };
    },
    interruptible: async (fn) => {
      const ac = new AbortController();
      const onSignal = (sig: NodeJS.Signals): void => {
        if (ac.signal.aborted) process.exit(130); // a second Ctrl-C: stop waiting for the children
        ac.abort(new Error(sig));
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        return await fn(ac.signal);
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    },
    openUrl: async (url) => (await import("./open-url.js")).openUrl(url, process.env),
  };
}
