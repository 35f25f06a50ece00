// The packaged CLI, spawned for real: `node bin/dvx.js` from a built dist/. Covers what in-process tests
// cannot: the bin shim, real exit codes, stream separation, TTY/NO_COLOR behaviour.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "../helpers/tmp-repo.js";
import { ensureBuilt } from "../helpers/build.js";

const ROOT = resolve(__dirname, "../..");
const BIN = join(ROOT, "bin/dvx.js");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

const BASE_ENV: Record<string, string | undefined> = {
  HOME: process.env.HOME,
  PATH: process.env.PATH,
  DVC_GLOBAL_CONFIG_DIR: "/nonexistent-dvx-test",
  DVC_SYSTEM_CONFIG_DIR: "/nonexistent-dvx-test",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function dvx(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd, env: { ...BASE_ENV, NO_COLOR: "1", ...env }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code as number) : 0;
        res({ code: typeof code === "number" ? code : -1, stdout, stderr });
      },
    );
  });
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main", ...args], {
    cwd,
    env: { ...process.env, ...BASE_ENV },
    encoding: "utf8",
  });

async function repo(files: Record<string, string> = {}): Promise<string> {
  const dir = tmpDir();
  git(dir, "init", "-q");
  const init = await dvx(dir, ["init"]);
  expect(init.code, init.stderr).toBe(0);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

const ANSI = /\x1b\[/; // any CSI sequence
const SGR = /\x1b\[[0-9;]*m/; // colour / style

beforeAll(() => ensureBuilt(), 120_000);

describe("dvx (spawned)", () => {
  it("--version prints the package.json version and exits 0", async () => {
    const dir = tmpDir();
    for (const flag of ["--version", "-V"]) {
      const r = await dvx(dir, [flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${PKG.version}\n`);
      expect(r.stderr).toBe("");
    }
  });

  it("--help exits 0 and lists the commands", async () => {
    const r = await dvx(tmpDir(), ["--help"]);
    expect(r.code, r.stderr).toBe(0);
    for (const cmd of [
      "init",
      "add",
      "status",
      "commit",
      "checkout",
      "diff",
      "remove",
      "gc",
      "push",
      "fetch",
      "pull",
      "remote",
      "version",
      "config",
    ]) {
      expect(r.stdout, cmd).toMatch(new RegExp(`^  ${cmd}\\b`, "m"));
    }
    expect(r.stdout).toContain("Exit codes:");
    const sub = await dvx(tmpDir(), ["add", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: dvx add /);
    const helpCmd = await dvx(tmpDir(), ["help", "status"]);
    expect(helpCmd.code).toBe(0);
    expect(helpCmd.stdout).toMatch(/^Usage: dvx status /);
  });

  it("an unknown command or flag exits 2 with error: on stderr", async () => {
    const dir = await repo();
    for (const argv of [
      ["frobnicate"],
      ["status", "--nope"],
      ["--nope"],
      ["add"] /* missing argument */,
      ["diff", "a", "b", "c"] /* extra argument */,
    ]) {
      const r = await dvx(dir, argv);
      expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(/^error: /m);
      expect(r.stdout, argv.join(" ")).toBe("");
    }
  });

  it("a usage error with --json is one JSON object on stderr", async () => {
    const r = await dvx(await repo(), ["status", "--json", "--nope"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect((JSON.parse(r.stderr) as { error: { code: string } }).error.code).toBe("USAGE");
  });

  it("status --json outside any repo exits 3: a JSON error on stderr, nothing on stdout", async () => {
    const plain = tmpDir();
    const r = await dvx(plain, ["status", "--json"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    const body = JSON.parse(r.stderr) as {
      error: { code: string; message: string; hint: string | null; details: object };
    };
    expect(["NOT_A_REPO", "NOT_INITIALIZED"]).toContain(body.error.code);
    expect(Object.keys(body.error).sort()).toEqual(["code", "details", "hint", "message"]);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);

    // a git repository without dvx init is "not initialised", same exit code
    const gitOnly = tmpDir();
    git(gitOnly, "init", "-q");
    const g = await dvx(gitOnly, ["status", "--json"]);
    expect(g.code).toBe(3);
    expect(g.stdout).toBe("");
    expect((JSON.parse(g.stderr) as { error: { code: string } }).error.code).toBe("NOT_INITIALIZED");

    const human = await dvx(plain, ["status"]);
    expect(human.code).toBe(3);
    expect(human.stderr).toMatch(/^error: .*\nhint: /);
  });

  it("init from the package writes its templates; add/status round trip with real exit codes", async () => {
    const dir = await repo({ "data.csv": "a\n" });
    expect(readFileSync(join(dir, ".dvcignore"), "utf8")).toMatch(/^# Add patterns of files dvc should ignore/);
    const add = await dvx(dir, ["add", "data.csv"]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe(""); // results of a human-mode add go to stderr, stdout stays for data
    expect(readFileSync(join(dir, "data.csv.dvc"), "utf8")).toBe(
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: data.csv\n",
    );
    const st = await dvx(dir, ["status", "--json"]);
    expect(st.code).toBe(0);
    expect(JSON.parse(st.stdout)).toEqual({});
    const missing = await dvx(dir, ["add", "nope.csv"]);
    expect(missing.code).toBe(1);
  });

  it("-q silences the stderr hints of add, but not errors", async () => {
    const dir = await repo({ "a.txt": "a\n", "b.txt": "b\n" });
    const loud = await dvx(dir, ["add", "a.txt"]);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain("git add");
    const quiet = await dvx(dir, ["-q", "add", "b.txt"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toBe("");
    expect(existsSync(join(dir, "b.txt.dvc"))).toBe(true);
    const quietAfter = await dvx(dir, ["add", "-q", "a.txt"]); // also accepted after the command
    expect(quietAfter.code, quietAfter.stderr).toBe(0);
    expect(quietAfter.stderr).toBe("");
    const err = await dvx(dir, ["-q", "add", "nope.txt"]);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/^error: /);
  });

  it("a reader that closes the pipe early (| head) does not crash the command: exit 0, no stack trace", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => i).join(", ");
    const dir = await repo({
      "dvc.yaml": `stages:\n  s:\n    foreach: [${items}]\n    do:\n      cmd: echo \${item}\n`,
    });
    const r = spawnSync(
      "bash",
      ["-c", 'node "$0" stage list --json | head -c 10 >/dev/null; echo "exit=${PIPESTATUS[0]}" >&2', BIN],
      { cwd: dir, env: { ...BASE_ENV, NO_COLOR: "1" }, encoding: "utf8" },
    );
    expect(r.stderr).toMatch(/exit=0\n$/);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.cjs/);
  });

  it("NO_COLOR=1: no ANSI escapes in any output (piped)", async () => {
    const dir = await repo({ "d/a.txt": "a\n", "f.txt": "1" });
    const outputs: Run[] = [];
    outputs.push(await dvx(dir, ["--help"]));
    outputs.push(await dvx(dir, ["add", "d", "f.txt"]));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "one");
    writeFileSync(join(dir, "f.txt"), "2");
    outputs.push(await dvx(dir, ["status"]));
    outputs.push(await dvx(dir, ["diff"]));
    outputs.push(await dvx(dir, ["diff", "--md"]));
    outputs.push(await dvx(dir, ["checkout"])); // refuses: uncommitted change → error + hint
    outputs.push(await dvx(dir, ["nope"]));
    outputs.push(await dvx(dir, ["version"]));
    expect(outputs.some((o) => o.code !== 0)).toBe(true);
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toMatch(ANSI);
    }
  });

  const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0;
  it.skipIf(!hasScript)("NO_COLOR=1 on a terminal: no colour codes (progress may still redraw its line)", async () => {
    const dir = await repo(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`d/f${i}.txt`, `${i}\n`])));
    writeFileSync(join(dir, "f.txt"), "1");
    // util-linux script(1) runs the command on a pseudo-terminal: stdout and stderr are both TTYs
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} add d f.txt && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} status && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} nope`;
    const r = spawnSync("script", ["-qec", cmd, "/dev/null"], {
      cwd: dir,
      env: { ...BASE_ENV, NO_COLOR: "1", TERM: "xterm-256color" },
      encoding: "utf8",
    });
    const out = r.stdout;
    expect(out).toContain("added d");
    expect(out).toMatch(/error: /);
    expect(out).not.toMatch(SGR);
  });
});
