// Runs dvx in-process (main(argv, io)) against a directory, capturing stdout/stderr and the exit code.
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

export async function runCli(
  cwd: string,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {
      HOME: process.env.HOME,
      PATH: process.env.PATH,
      NO_COLOR: "1",
      DVC_GLOBAL_CONFIG_DIR: "/nonexistent-dvx-test",
      DVC_SYSTEM_CONFIG_DIR: "/nonexistent-dvx-test",
      ...env,
    },
    cwd,
    umask: 0o022,
  };
  const code = await main(argv, io);
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      return JSON.parse(stdout) as T;
    },
  };
}
