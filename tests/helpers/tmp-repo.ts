// Temporary directories and real git repositories for tests: the system `git` with a fixed identity and fixed
// dates (stable SHAs), no global/system config; repos with dvx initialised from an object literal of files;
// a sample repository with branches, tags, packs and loose objects; the DVC-made fixture.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { dirname, join } from "node:path";
import { onTestFinished } from "vitest";
import { runCli, type CliRun } from "./run-cli.js";

export const BASIC_FIXTURE = path.resolve(__dirname, "../fixtures/basic/repo.tar.gz"); // the project's own copy
const FIXED_DATE = "2026-01-01T00:00:00+00:00";

const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_AUTHOR_DATE: FIXED_DATE,
  GIT_COMMITTER_DATE: FIXED_DATE,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
});

const BASE_ARGS = [
  "-c",
  "user.name=t",
  "-c",
  "user.email=t@e",
  "-c",
  "init.defaultBranch=main",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "tag.gpgsign=false",
  "-c",
  "core.autocrlf=false",
  "-c",
  "gc.auto=0",
];

export interface TmpRepo {
  dir: string;
  write(files: Record<string, string | Buffer>): void;
  read(path: string): string;
  git(...args: string[]): string;
  commit(message: string): string;
  run(...argv: string[]): Promise<CliRun>;
}

/** A temp directory removed when the current test finishes. */
export function tmpDir(prefix = "dvx-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => {
    execFileSync("chmod", ["-R", "u+w", dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Writes files (creating directories); `*.sh` files are made executable. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    if (p.endsWith(".sh")) chmodSync(abs, 0o755);
  }
}

/** A temp git repository (unless `git: false`) with dvx initialised (unless `init: false`) and `files`. */
export async function makeRepo(
  opts: { files?: Record<string, string | Buffer>; git?: boolean; init?: boolean } = {},
): Promise<TmpRepo> {
  const dir = tmpDir();
  const run = (...args: string[]): string =>
    execFileSync("git", [...BASE_ARGS, ...args], { cwd: dir, env: gitEnv(), encoding: "utf8" });
  if (opts.git !== false) run("init", "-q");
  const repo: TmpRepo = {
    dir,
    write: (files) => writeFiles(dir, files),
    read: (p) => readFileSync(join(dir, p), "utf8"),
    git: run,
    commit: (message) => commitAll(dir, message),
    run: (...argv) => runCli(dir, argv),
  };
  if (opts.init !== false) {
    const r = await repo.run("init", ...(opts.git === false ? ["--no-scm"] : []));
    if (r.code !== 0) throw new Error(`dvx init failed: ${r.stderr}`);
  }
  if (opts.files) repo.write(opts.files);
  return repo;
}

export function makeTmp(prefix = "dvx-git-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeTmp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs git in `cwd` and returns trimmed stdout; throws on a non-zero exit. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", [...BASE_ARGS, ...args], {
    cwd,
    env: gitEnv(),
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  }).trim();
}

/** Runs git and reports the exit status instead of throwing. */
export function gitTry(cwd: string, ...args: string[]): { status: number; stdout: string } {
  const r = spawnSync("git", [...BASE_ARGS, ...args], { cwd, env: gitEnv(), encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout.trim() };
}

/** What real git says `rev` names as a commit, or null when git rejects it. */
export function revParse(cwd: string, rev: string): string | null {
  const r = gitTry(cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`);
  return r.status === 0 ? r.stdout : null;
}

export function commitAll(dir: string, message: string): string {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

export interface SampleRepo {
  dir: string;
  /** Commits by role: c1..c4 on main, f1/f2 on feature, merge, loose (after gc, on branch "after-gc"). */
  commits: Record<"c1" | "c2" | "c3" | "f1" | "f2" | "merge" | "c4" | "loose", string>;
  /** Two blobs whose oids share the first 4 hex digits. */
  ambiguousPrefix: string;
}

/**
 * main: c1 ─ c2 ─ c3 ─ merge ─ c4        feature: c2 ─ f1 ─ f2 (merged into main as ^2)
 * tags: v-light (lightweight, c2), v1.0 (annotated, c3), v1.0-nested (annotated tag of v1.0),
 * dup (tag at c1, while branch "dup" is at c4), blob tags amb-a/amb-b; origin/* remote refs with
 * origin/HEAD → origin/main. Then `git gc` packs refs and objects, and branch after-gc gets one
 * loose commit.
 */
export function buildSampleRepo(dir: string): SampleRepo {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q");
  writeFiles(dir, { "a.txt": "one\n", "data/x.csv": "a,b\n1,2\n", "data/deep/y.json": "{}\n", ".dvc/config": "" });
  const c1 = commitAll(dir, "c1");
  writeFiles(dir, { "a.txt": "two\n" });
  const c2 = commitAll(dir, "c2");
  git(dir, "checkout", "-q", "-b", "feature");
  writeFiles(dir, { "feat.txt": "f1\n" });
  const f1 = commitAll(dir, "f1");
  writeFiles(dir, { "feat.txt": "f2\n" });
  const f2 = commitAll(dir, "f2");
  git(dir, "checkout", "-q", "main");
  writeFiles(dir, { "b.txt": "three\n" });
  const c3 = commitAll(dir, "c3");
  git(dir, "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
  const merge = git(dir, "rev-parse", "HEAD");
  writeFiles(dir, { "a.txt": "four\n" });
  const c4 = commitAll(dir, "c4");

  git(dir, "tag", "v-light", c2);
  git(dir, "tag", "-a", "-m", "release 1.0", "v1.0", c3);
  git(dir, "tag", "-a", "-m", "nested", "v1.0-nested", "v1.0");
  git(dir, "tag", "dup", c1);
  git(dir, "branch", "dup", c4);
  const [textA, textB] = findBlobCollision();
  const blobA = execFileSync("git", ["hash-object", "-w", "--stdin"], {
    cwd: dir,
    input: textA,
    encoding: "utf8",
  }).trim();
  const blobB = execFileSync("git", ["hash-object", "-w", "--stdin"], {
    cwd: dir,
    input: textB,
    encoding: "utf8",
  }).trim();
  git(dir, "tag", "amb-a", blobA);
  git(dir, "tag", "amb-b", blobB);

  const bare = `${dir}-remote.git`;
  git(path.dirname(dir), "clone", "-q", "--bare", dir, bare);
  git(dir, "remote", "add", "origin", bare);
  git(dir, "fetch", "-q", "origin");
  git(dir, "remote", "set-head", "origin", "main");
  git(dir, "gc", "-q");

  git(dir, "checkout", "-q", "-b", "after-gc");
  writeFiles(dir, { "late.txt": "late\n" });
  const loose = commitAll(dir, "loose");
  git(dir, "checkout", "-q", "main");
  return { dir, commits: { c1, c2, c3, f1, f2, merge, c4, loose }, ambiguousPrefix: blobA.slice(0, 4) };
}

/** Two blob texts whose object ids start with the same 4 hex digits (deterministic). */
export function findBlobCollision(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; ; i++) {
    const text = `collide ${i}\n`;
    const oid = createHash("sha1")
      .update(`blob ${Buffer.byteLength(text)}\0${text}`)
      .digest("hex");
    const earlier = seen.get(oid.slice(0, 4));
    if (earlier !== undefined) return [earlier, text];
    seen.set(oid.slice(0, 4), text);
  }
}

/** Unpacks the DVC-made fixture (4 commits on main) into `tmp` and returns the repo path. */
export function extractBasicFixture(tmp: string): string {
  execFileSync("tar", ["xzf", BASIC_FIXTURE, "-C", tmp]);
  return path.join(tmp, "repo");
}

/** "resolved", or the `code` of the error the promise rejects with (for asserting error codes). */
export const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "resolved",
    (e: unknown) => String((e as { code?: unknown }).code),
  );
