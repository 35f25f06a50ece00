// The system `git` binary, for what only it does as the user expects: talking to git remotes with the user's
// own transport, credentials and config (`exp push`/`exp pull`), and the user's identity exactly as git would
// sign a commit (`git var`, which follows includes and conditional includes). Everything else in git/ reads and
// writes the repository directly.
import { spawn } from "node:child_process";
import { AppError, EXIT } from "../errors.js";

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** git is not installed (or not on PATH). */
export class GitNotFoundError extends AppError {
  constructor(what: string) {
    super("GIT_NOT_FOUND", EXIT.failed, `${what} needs the git command, which was not found on PATH`, {
      hint: "install git (https://git-scm.com) and run the command again",
      details: { what },
    });
  }
}

/** `git <args>` in `cwd`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runGit(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: { ...env, GIT_TERMINAL_PROMPT: env.GIT_TERMINAL_PROMPT ?? "0", LC_ALL: "C" } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "ENOENT" ? new GitNotFoundError(`git ${args[0] ?? ""}`) : e),
    );
    child.on("close", (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });
}

/** Removes credentials from URLs in git's messages (`https://user:token@host` → `https://***@host`). */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}
