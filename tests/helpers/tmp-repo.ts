// Temp git repositories with dvx initialised, built from an object literal of files.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";
import { runCli, type CliRun } from "./run-cli.js";

export interface TmpRepo {
  dir: string;
  write(files: Record<string, string | Buffer>): void;
  read(path: string): string;
  git(...args: string[]): string;
  commit(message: string): string;
  run(...argv: string[]): Promise<CliRun>;
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export function tmpDir(prefix = "dvx-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => {
    execFileSync("chmod", ["-R", "u+w", dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    if (p.endsWith(".sh")) chmodSync(abs, 0o755);
  }
}

export async function makeRepo(
  opts: { files?: Record<string, string | Buffer>; git?: boolean; init?: boolean } = {},
): Promise<TmpRepo> {
  const dir = tmpDir();
  const git = (...args: string[]): string =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main", ...args], {
      cwd: dir,
      env: GIT_ENV,
      encoding: "utf8",
    });
  if (opts.git !== false) git("init", "-q");
  const repo: TmpRepo = {
    dir,
    write: (files) => writeFiles(dir, files),
    read: (p) => readFileSync(join(dir, p), "utf8"),
    git,
    commit: (message) => {
      git("add", "-A");
      git("commit", "-q", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    run: (...argv) => runCli(dir, argv),
  };
  if (opts.init !== false) {
    const r = await repo.run("init", ...(opts.git === false ? ["--no-scm"] : []));
    if (r.code !== 0) throw new Error(`dvx init failed: ${r.stderr}`);
  }
  if (opts.files) repo.write(opts.files);
  return repo;
}
