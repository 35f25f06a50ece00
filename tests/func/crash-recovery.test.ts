// Crash safety: `dvx add` and `dvx checkout` SIGKILLed at several points must leave only complete,
// read-only cache objects and whole (or absent) pointer files, and the next run must finish the job
// (taking over the dead process's lock).
import { execFile, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";
import { CLI_ENV } from "../helpers/pipeline.js";
import { runCli } from "../helpers/run-cli.js";
import { tmpDir, writeFiles } from "../helpers/tmp-repo.js";

const ROOT = resolve(__dirname, "../..");
const BIN = join(ROOT, "bin/dvx.js");

const ENV = CLI_ENV;

const md5 = (b: Buffer): string => createHash("md5").update(b).digest("hex");

/** ~3000 small files in a few sub-directories plus one 30 MiB file. */
function bigDirFiles(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 3000; i++) files[`bigdir/d${i % 7}/f${i}.txt`] = `file ${i}\n`;
  const big = Buffer.alloc(30 << 20);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
  files["bigdir/big.bin"] = big;
  return files;
}
let FILES: Record<string, string | Buffer>;

/** Runs the built CLI to completion. */
function cli(
  dir: string,
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd: dir, env: { ...ENV, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === "number"
            ? (err as { code: number }).code
            : -1
          : 0;
        res({ code, stdout, stderr });
      },
    );
  });
}

const git = (dir: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main", ...args], {
    cwd: dir,
    env: { ...process.env, ...ENV },
    encoding: "utf8",
  });

// Two template repos built once and copied per scenario (cp -a keeps the cache's 0444 modes):
// UNTRACKED = git + dvx init + bigdir; TRACKED = the same after `dvx add bigdir` and a commit, with the
// workspace copy of bigdir deleted (what checkout restores).
let TEMPLATES: string;
const UNTRACKED = (): string => join(TEMPLATES, "untracked");
const TRACKED = (): string => join(TEMPLATES, "tracked");
let POINTER: string;

function copyOf(template: string): string {
  const dir = join(tmpDir(), "repo");
  execFileSync("cp", ["-a", template, dir]);
  return dir;
}

/** Spawns the built CLI and SIGKILLs it when `when` says so (or it exits by itself). */
async function runAndKill(
  dir: string,
  argv: string[],
  when: (elapsedMs: number) => boolean,
): Promise<{ killed: boolean; pid: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd: dir, env: ENV, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  let done = false;
  void exited.then(() => (done = true));
  const t0 = Date.now();
  let killed = false;
  while (!done) {
    if (when(Date.now() - t0)) {
      killed = child.kill("SIGKILL");
      break;
    }
    await new Promise((res) => setTimeout(res, 3));
  }
  const code = await exited; // reaped: its pid is gone, so a lock it left is stale
  return { killed: killed && code === null, pid: child.pid!, code, stderr };
}

const cacheDir = (dir: string): string => join(dir, ".dvc/cache/files/md5");

/** Number of finished objects in the cache (cheap enough to poll). */
function objectCount(dir: string): number {
  const root = cacheDir(dir);
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const d of readdirSync(root))
    if (d.length === 2) n += readdirSync(join(root, d)).filter((f) => !f.startsWith(".")).length;
  return n;
}

const TEMP = /^\.[0-9a-f]+\.tmp$/; // LocalOdb's temp names

/** Every object is complete (its MD5 is its name) and read-only; anything else is a named temp file. */
function assertCacheSound(dir: string): { objects: number; temps: number } {
  const root = cacheDir(dir);
  let objects = 0;
  let temps = 0;
  if (!existsSync(root)) return { objects, temps };
  const bad: string[] = [];
  for (const d of readdirSync(root)) {
    const sub = join(root, d);
    if (!statSync(sub).isDirectory()) {
      if (TEMP.test(d)) temps++;
      else bad.push(`unexpected file ${d}`);
      continue;
    }
    if (!/^[0-9a-f]{2}$/.test(d)) bad.push(`unexpected dir ${d}`);
    for (const f of readdirSync(sub)) {
      if (TEMP.test(f)) {
        temps++;
        continue;
      }
      const m = /^([0-9a-f]{30})(\.dir)?$/.exec(f);
      if (!m) {
        bad.push(`unexpected name ${d}/${f}`);
        continue;
      }
      objects++;
      const p = join(sub, f);
      const st = statSync(p);
      if ((st.mode & 0o777) !== 0o444) bad.push(`${d}/${f}: mode ${(st.mode & 0o777).toString(8)}`);
      const data = readFileSync(p); // .dir objects are hashed as bytes too
      if (md5(data) !== d + m[1]) bad.push(`${d}/${f}: content hashes to ${md5(data)} (${data.length} bytes)`);
      if (m[2] && !Array.isArray(JSON.parse(data.toString("utf8")))) bad.push(`${d}/${f}: not a JSON list`);
    }
  }
  expect(bad).toEqual([]);
  return { objects, temps };
}

const readOrNull = (p: string): string | null => (existsSync(p) ? readFileSync(p, "utf8") : null);

const walkAll = (d: string): string[] =>
  readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walkAll(join(d, e.name)) : [join(d, e.name)],
  );

function assertWorkspaceRestored(dir: string): void {
  const bad: string[] = [];
  for (const [p, content] of Object.entries(FILES)) {
    const abs = join(dir, p);
    if (!existsSync(abs)) bad.push(`${p} missing`);
    else if (!readFileSync(abs).equals(Buffer.isBuffer(content) ? content : Buffer.from(content)))
      bad.push(`${p} differs`);
  }
  expect(bad).toEqual([]);
  expect(
    walkAll(join(dir, "bigdir"))
      .map((f) => f.slice(dir.length + 1))
      .filter((f) => !(f in FILES)),
  ).toEqual([]); // no leftovers
}

async function statusIsClean(dir: string): Promise<void> {
  const status = await cli(dir, ["status", "--json"]);
  expect(status.code, status.stderr).toBe(0);
  expect(JSON.parse(status.stdout)).toEqual({});
}

beforeAll(async () => {
  ensureBuilt();
  FILES = bigDirFiles();
  TEMPLATES = mkdtempSync(join(tmpdir(), "dvx-crash-"));
  mkdirSync(UNTRACKED());
  git(UNTRACKED(), "init", "-q");
  const init = await cli(UNTRACKED(), ["init", "-q"]);
  expect(init.code, init.stderr).toBe(0);
  git(UNTRACKED(), "commit", "-q", "-m", "init");
  writeFiles(UNTRACKED(), FILES);
  execFileSync("cp", ["-a", UNTRACKED(), TRACKED()]);
  const add = await cli(TRACKED(), ["add", "-q", "bigdir"]);
  expect(add.code, add.stderr).toBe(0);
  git(TRACKED(), "add", "-A");
  git(TRACKED(), "commit", "-q", "-m", "track bigdir");
  POINTER = readFileSync(join(TRACKED(), "bigdir.dvc"), "utf8");
  rmSync(join(TRACKED(), "bigdir"), { recursive: true, force: true });
  expect(POINTER).toMatch(
    /^outs:\n- md5: [0-9a-f]{32}\.dir\n {2}size: 31\d{6}\n {2}nfiles: 3001\n {2}hash: md5\n {2}path: bigdir\n$/,
  );
}, 120_000);

afterAll(() => {
  if (!TEMPLATES) return;
  execFileSync("chmod", ["-R", "u+w", TEMPLATES]);
  rmSync(TEMPLATES, { recursive: true, force: true });
});

describe("crash recovery: dvx add killed mid-way", () => {
  const scenarios: Array<[string, (dir: string) => (ms: number) => boolean]> = [
    ["after 200 ms", () => (ms) => ms >= 200],
    ["once the first objects are in the cache", (dir) => () => objectCount(dir) >= 20],
    [
      "while the 30 MiB file is being copied",
      (dir) => () => existsSync(cacheDir(dir)) && readdirSync(cacheDir(dir)).some((f) => TEMP.test(f)),
    ],
  ];

  it.each(scenarios)(
    "%s: the cache stays sound and the next add finishes",
    async (_name, mk) => {
      const dir = copyOf(UNTRACKED());
      const k = await runAndKill(dir, ["add", "bigdir"], mk(dir));
      const pointer = readOrNull(join(dir, "bigdir.dvc"));
      const gitignore = readOrNull(join(dir, ".gitignore"));
      assertCacheSound(dir);

      const again = await cli(dir, ["add", "bigdir"], { DVX_LOCK_TIMEOUT: "0" }); // a stale lock must not block
      expect(again.code, again.stderr).toBe(0);
      const final = readFileSync(join(dir, "bigdir.dvc"), "utf8");
      expect(final).toBe(POINTER); // same data → same pointer, whatever the crash left behind
      if (pointer !== null) expect(pointer, `pointer after kill (killed: ${k.killed})`).toBe(final); // never truncated
      if (gitignore !== null) expect(gitignore).toBe("/bigdir\n");
      const { objects } = assertCacheSound(dir);
      expect(objects).toBe(3000 /* distinct small files */ + 1 /* big */ + 1 /* .dir */);
      expect(existsSync(join(dir, ".dvc/tmp/dvx.lock"))).toBe(false);
      await statusIsClean(dir);
    },
    60_000,
  );

  it("half-way through: the dead process's lock is left behind and taken over", async () => {
    const dir = copyOf(UNTRACKED());
    const k = await runAndKill(dir, ["add", "bigdir"], () => objectCount(dir) >= 1500);
    expect(k.killed, `the add finished before it could be killed: ${k.stderr}`).toBe(true);
    const lock = JSON.parse(readFileSync(join(dir, ".dvc/tmp/dvx.lock"), "utf8")) as { pid: number; cmd: string };
    expect(lock).toMatchObject({ pid: k.pid, cmd: "dvx add" });
    assertCacheSound(dir);
    const again = await cli(dir, ["add", "bigdir"], { DVX_LOCK_TIMEOUT: "0" });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, "bigdir.dvc"), "utf8")).toBe(POINTER);
    expect(existsSync(join(dir, ".dvc/tmp/dvx.lock"))).toBe(false);
    assertCacheSound(dir);
    await statusIsClean(dir);
  }, 60_000);
});

describe("crash recovery: dvx checkout killed mid-way", () => {
  const countWorkspace = (dir: string): number => {
    const d = join(dir, "bigdir");
    if (!existsSync(d)) return 0;
    let n = 0;
    for (const e of readdirSync(d, { withFileTypes: true }))
      n += e.isDirectory() ? readdirSync(join(d, e.name)).length : 1;
    return n;
  };

  const scenarios: Array<[string, (dir: string) => (ms: number) => boolean, boolean]> = [
    ["once some files are back", (dir) => () => countWorkspace(dir) >= 300, true],
    ["once most files are back", (dir) => () => countWorkspace(dir) >= 2500, false],
  ];

  it.each(scenarios)(
    "%s: the next checkout restores everything",
    async (_name, mk, checkMidStatus) => {
      const dir = copyOf(TRACKED());
      writeFileSync(join(dir, "keep.txt"), "x"); // unrelated file, untouched
      expect(existsSync(join(dir, "bigdir"))).toBe(false);

      const k = await runAndKill(dir, ["checkout"], mk(dir));
      assertCacheSound(dir);
      expect(readFileSync(join(dir, "bigdir.dvc"), "utf8")).toBe(POINTER);
      if (checkMidStatus && k.killed && countWorkspace(dir) > 0) {
        // a partial restore is reported as a change, never as clean
        const mid = await cli(dir, ["status", "--json"]);
        expect(mid.code, mid.stderr).toBe(0);
        expect(JSON.parse(mid.stdout)).not.toEqual({});
      }

      const again = await cli(dir, ["checkout"], { DVX_LOCK_TIMEOUT: "0" }); // a stale lock must not block
      expect(again.code, again.stderr).toBe(0);
      assertWorkspaceRestored(dir);
      expect(existsSync(join(dir, ".dvc/tmp/dvx.lock"))).toBe(false);
      await statusIsClean(dir);
      expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("x");
    },
    60_000,
  );

  // Deterministic form of what a kill between "write temp" and "rename" leaves behind: Linker.place's
  // temp file `.<name>.<12 hex>.tmp` beside the destination (src/odb/link.ts).
  it("checkout temp files left by a killed checkout do not block the next one", async () => {
    const dir = tmpDir();
    git(dir, "init", "-q");
    expect((await runCli(dir, ["init", "-q"])).code).toBe(0);
    writeFiles(dir, { "d/a.txt": "a\n", "d/b.txt": "b\n" });
    expect((await runCli(dir, ["add", "-q", "d"])).code).toBe(0);
    rmSync(join(dir, "d/b.txt"));
    // a killed checkout leaves its half-made copy under .dvc/tmp, never inside the tracked directory
    writeFileSync(join(dir, ".dvc/tmp/link-0123456789abcdef"), "b");
    const res = await runCli(dir, ["checkout"], { DVX_LOCK_TIMEOUT: "0" });
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(dir, "d/b.txt"), "utf8")).toBe("b\n");
    expect(readdirSync(join(dir, "d")).sort()).toEqual(["a.txt", "b.txt"]);
    const st = await runCli(dir, ["status", "--json"]);
    expect(st.json()).toEqual({});
  });
});
