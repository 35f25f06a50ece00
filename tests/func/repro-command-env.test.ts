// How stage commands run (docs/formats.md §8.6a, issue 9): through $SHELL without rc files (/bin/sh without
// SHELL), in the stage's wdir, with DVC_ROOT and DVC_STAGE; declared outputs removed first unless persist;
// interpolated values spliced into the command exactly as written, with no second round of interpolation.
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLock } from "../helpers/pipeline.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { badObjects } from "../helpers/store-walk.js";
import { makeRepo, tmpDir, writeFiles, type TmpRepo } from "../helpers/tmp-repo.js";

const repro = (r: TmpRepo, env: Record<string, string | undefined>, ...args: string[]): Promise<CliRun> =>
  runCli(r.dir, ["repro", ...args], env);

/** A HOME whose shell start-up files would all leave a trace in rc.log. */
function homeWithRcFiles(): string {
  const home = tmpDir("dvx-home-");
  const trace = (name: string): string => `echo ${name} >> "${home}/rc.log"\n`;
  writeFiles(home, {
    ".bashrc": trace("bashrc"),
    ".bash_profile": trace("bash_profile"),
    ".bash_login": trace("bash_login"),
    ".profile": trace("profile"),
    ".zshrc": trace("zshrc"),
    ".zshenv": trace("zshenv"),
  });
  return home;
}

/** The command line of the shell that runs the stage (its own /proc entry, NULs as spaces). */
const SHOW_SHELL = "tr '\\0' ' ' < /proc/$$/cmdline > shell.txt";

describe("the shell", () => {
  it("is $SHELL; bash gets --noprofile --norc and reads no start-up file", async () => {
    const home = homeWithRcFiles();
    const r = await makeRepo({
      files: { "dvc.yaml": `stages:\n  s:\n    cmd: ${SHOW_SHELL}\n    outs: [shell.txt]\n` },
    });
    const res = await repro(r, { SHELL: "/bin/bash", HOME: home });
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("shell.txt").trim()).toBe(`/bin/bash --noprofile --norc -c ${SHOW_SHELL}`);
    expect(existsSync(join(home, "rc.log"))).toBe(false);
  });

  it("is /bin/sh -c when SHELL is unset or empty", async () => {
    const home = homeWithRcFiles();
    for (const shell of [undefined, ""]) {
      const r = await makeRepo({
        files: { "dvc.yaml": `stages:\n  s:\n    cmd: ${SHOW_SHELL}\n    outs: [shell.txt]\n` },
      });
      const res = await repro(r, { SHELL: shell, HOME: home, ENV: `${home}/.profile` });
      expect(res.code, res.stderr).toBe(0);
      expect(r.read("shell.txt").trim()).toBe(`/bin/sh -c ${SHOW_SHELL}`);
    }
    expect(existsSync(join(home, "rc.log"))).toBe(false);
  });

  it("keeps the caller's BASH_ENV, as DVC does (bash reads it for every non-interactive shell)", async () => {
    // DVC passes its environment through unchanged and `bash --norc -c` still sources BASH_ENV: dvx matches it.
    const home = homeWithRcFiles();
    const r = await makeRepo({ files: { "dvc.yaml": "stages:\n  s:\n    cmd: echo cmd >> trace.log\n" } });
    const res = await repro(r, { SHELL: "/bin/bash", HOME: home, BASH_ENV: `${home}/.bashrc` });
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("trace.log")).toBe("cmd\n");
    expect(readFileSync(join(home, "rc.log"), "utf8")).toBe("bashrc\n");
  });

  it("passes the caller's environment through", async () => {
    const r = await makeRepo({
      files: { "dvc.yaml": "stages:\n  s:\n    cmd: echo $MY_VAR > v.txt\n    outs: [v.txt]\n" },
    });
    expect((await repro(r, { MY_VAR: "from caller" })).code).toBe(0);
    expect(r.read("v.txt")).toBe("from caller\n");
  });
});

describe("working directory and DVC_ROOT / DVC_STAGE", () => {
  const ENV_CMD = 'printf "%s|%s|%s\\n" "$PWD" "$DVC_ROOT" "$DVC_STAGE"';

  it("runs in the dvc.yaml's directory, the stage's wdir, and wdir '..' from a sub-directory dvc.yaml", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          `stages:\n  top:\n    cmd: ${ENV_CMD} > top.txt\n    outs: [top.txt]\n` +
          `  inwdir:\n    wdir: data\n    cmd: ${ENV_CMD} > w.txt\n    outs: [w.txt]\n` +
          `  each:\n    foreach: [1, 2]\n    do:\n      cmd: ${ENV_CMD} > each\${item}.txt\n      outs:\n      - each\${item}.txt\n`,
        "data/.keep": "",
        "sub/dvc.yaml":
          `stages:\n  here:\n    cmd: ${ENV_CMD} > here.txt\n    outs: [here.txt]\n` +
          `  up:\n    wdir: ..\n    cmd: ${ENV_CMD} > up.txt\n    outs: [up.txt]\n`,
      },
    });
    const res = await repro(r, {}, "-P");
    expect(res.code, res.stderr).toBe(0);
    const root = execFileSync("pwd", ["-P"], { cwd: r.dir, encoding: "utf8" }).trim();
    const line = (p: string): string[] => r.read(p).trim().split("|");
    expect(line("top.txt")).toEqual([root, root, "top"]);
    expect(line("data/w.txt")).toEqual([`${root}/data`, root, "inwdir"]);
    expect(line("each1.txt")).toEqual([root, root, "each@1"]);
    expect(line("each2.txt")).toEqual([root, root, "each@2"]);
    expect(line("sub/here.txt")).toEqual([`${root}/sub`, root, "sub/dvc.yaml:here"]);
    expect(line("up.txt")).toEqual([root, root, "sub/dvc.yaml:up"]);
    // the lock records paths relative to the wdir
    expect(readLock(r.dir, "sub/dvc.lock")?.stages.get("up")?.outs[0]?.path).toBe("up.txt");
  });

  it("DVC_ROOT is the repository root also when run from a sub-directory, and kept when the caller set it", async () => {
    const r = await makeRepo({
      files: {
        "sub/dvc.yaml": `stages:\n  s:\n    cmd: ${ENV_CMD} > s.txt\n    outs: [s.txt]\n`,
      },
    });
    const fromSub = await runCli(join(r.dir, "sub"), ["repro"], {});
    expect(fromSub.code, fromSub.stderr).toBe(0);
    const root = execFileSync("pwd", ["-P"], { cwd: r.dir, encoding: "utf8" }).trim();
    expect(r.read("sub/s.txt").trim().split("|")[1]).toBe(root);
    const kept = await runCli(join(r.dir, "sub"), ["repro", "-f"], { DVC_ROOT: "/set/by/caller" });
    expect(kept.code, kept.stderr).toBe(0);
    expect(r.read("sub/s.txt").trim().split("|")[1]).toBe("/set/by/caller");
  });

  // DVC sets DVC_STAGE to stage.addressing, relative to the current directory (dvc/stage: `relpath(self.path)`,
  // the bare name when that is "dvc.yaml"). Messages and status keys stay repo-relative in dvx.
  it("DVC_STAGE is the cwd-relative address when repro runs from a sub-directory, as DVC's", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": `stages:\n  top:\n    cmd: ${ENV_CMD} > top.txt\n    outs: [top.txt]\n`,
        "sub/dvc.yaml": `stages:\n  s:\n    cmd: ${ENV_CMD} > s.txt\n    outs: [s.txt]\n`,
      },
    });
    const fromSub = await runCli(join(r.dir, "sub"), ["repro", "-P"], {});
    expect(fromSub.code, fromSub.stderr).toBe(0);
    expect(r.read("sub/s.txt").trim().split("|")[2]).toBe("s");
    expect(r.read("top.txt").trim().split("|")[2]).toBe("../dvc.yaml:top");
  });
});

describe("outputs before the command runs", () => {
  it("removes declared outputs (files and directories) unless they are persist; persist ones are kept", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  s:\n    cmd: >-\n      echo run >> plain.txt && mkdir -p d && echo run >> d/log &&\n" +
          "      echo run >> kept.txt && mkdir -p kd && echo run >> kd/log\n" +
          "    outs:\n    - plain.txt\n    - d\n    - kept.txt:\n        persist: true\n    - kd:\n        persist: true\n",
      },
    });
    expect((await repro(r, {})).code).toBe(0);
    r.write({ "d/stray": "from before\n" });
    const res = await repro(r, {}, "-f");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("plain.txt")).toBe("run\n");
    expect(r.read("d/log")).toBe("run\n");
    expect(existsSync(join(r.dir, "d/stray"))).toBe(false);
    expect(r.read("kept.txt")).toBe("run\nrun\n");
    expect(r.read("kd/log")).toBe("run\nrun\n");
  });

  it("gives a persistent output linked into the cache to the command as a copy: the cache object stays intact", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  s:\n    cmd: echo run >> p.txt\n    outs:\n    - p.txt:\n        persist: true\n",
      },
    });
    for (const type of ["hardlink", "symlink"]) {
      r.write({ ".dvc/config": `[cache]\n    type = ${type}\n` });
      const res = await repro(r, {}, "-f");
      expect(res.code, `${type}: ${res.stderr}`).toBe(0);
      expect(await badObjects(join(r.dir, ".dvc/cache"))).toEqual([]);
    }
    expect(r.read("p.txt")).toBe("run\nrun\n");
    expect(lstatSync(join(r.dir, "p.txt")).isSymbolicLink()).toBe(true);
    const again = await repro(r, {}, "-f");
    expect(again.code).toBe(0);
    expect(r.read("p.txt")).toBe("run\nrun\nrun\n");
    expect(await badObjects(join(r.dir, ".dvc/cache"))).toEqual([]);
  });
});

describe("interpolated values in commands", () => {
  const PARAMS =
    'home: "$HOME"\n' +
    'semi: "a; echo injected > injected.txt; echo b"\n' +
    'quotes: "\'single\' \\"double\\" $((6*7))"\n' +
    'tpl: "${name}"\n' +
    "name: bob\n";

  it("are spliced in as written: the shell sees metacharacters, dvx does not interpolate twice", async () => {
    const r = await makeRepo({
      files: {
        "params.yaml": PARAMS,
        "dvc.yaml":
          "stages:\n" +
          '  home:\n    cmd: echo "${home}" > home.txt\n    outs: [home.txt]\n' +
          "  semi:\n    cmd: echo ${semi} > semi.txt\n" +
          "  quotes:\n    cmd: echo ${quotes} > quotes.txt\n" +
          "  tpl:\n    cmd: echo '${tpl}' > tpl.txt\n    outs: [tpl.txt]\n" +
          "  escaped:\n    cmd: name=shell; echo \\${name} '\\${name}' ${name} > esc.txt\n    outs: [esc.txt]\n",
      },
    });
    const home = tmpDir("dvx-home-");
    const res = await repro(r, { HOME: home });
    expect(res.code, res.stderr).toBe(0);
    const cmd = (s: string): unknown => readLock(r.dir)?.stages.get(s)?.cmd;
    // dvc.lock records the command after one interpolation, metacharacters untouched
    expect(cmd("home")).toBe('echo "$HOME" > home.txt');
    expect(cmd("tpl")).toBe("echo '${name}' > tpl.txt");
    expect(cmd("escaped")).toBe("name=shell; echo ${name} '${name}' bob > esc.txt");
    // and the shell gets exactly that
    expect(r.read("home.txt")).toBe(`${home}\n`);
    expect(cmd("semi")).toBe("echo a; echo injected > injected.txt; echo b > semi.txt");
    expect(r.read("semi.txt")).toBe("b\n");
    expect(r.read("injected.txt")).toBe("injected\n");
    expect(cmd("quotes")).toBe("echo 'single' \"double\" $((6*7)) > quotes.txt");
    expect(r.read("quotes.txt")).toBe("single double 42\n");
    expect(r.read("tpl.txt")).toBe("${name}\n");
    expect(r.read("esc.txt")).toBe("shell ${name} bob\n");
  });
});
