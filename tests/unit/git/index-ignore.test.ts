import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitAdd, isIgnored, isTracked } from "../../../src/git/git.js";
import { commitAll, git, gitTry, makeTmp, removeTmp, writeFiles, codeOf } from "../../helpers/tmp-repo.js";

let tmp: string;
let dir: string;

const lsFiles = (): string[] => git(dir, "ls-files").split("\n").filter(Boolean).sort();

beforeAll(() => {
  tmp = makeTmp();
  dir = path.join(tmp, "repo");
  git(tmp, "init", "-q", dir);
  writeFiles(dir, {
    ".gitignore": "*.log\n!keep.log\n/build\nout/\ncache/\n/data/raw\n# comment\n",
    "sub/.gitignore": "local.txt\n/anchored.txt\ndeep/\n*.tmp\n!important.tmp\n",
    "a.txt": "a\n",
    "dir/tracked.txt": "t\n",
    "dir/nested/more.txt": "m\n",
    "wl/.gitignore": "*\n!*/\n!*.py\n!.gitignore\n",
    "docs/.gitignore": "**/gen/\nnotes/**/*.md\n",
  });
  writeFileSync(path.join(dir, ".git", "info", "exclude"), "secret.txt\n");
  commitAll(dir, "init");
  writeFiles(dir, {
    "a.log": "",
    "keep.log": "",
    "build/x.txt": "",
    "src/build/y.txt": "",
    "out/o.txt": "",
    "x/out/z.txt": "",
    "out-file": "",
    "sub/local.txt": "",
    "local.txt": "",
    "sub/anchored.txt": "",
    "sub/x/anchored.txt": "",
    "sub/deep/f.txt": "",
    "sub/a.tmp": "",
    "sub/important.tmp": "",
    "secret.txt": "",
    "d/secret.txt": "",
    "data/raw/r.csv": "",
    "data/raw.dvc": "",
    "cache/c": "",
    "plain.txt": "",
    "wl/a.py": "",
    "wl/b.txt": "",
    "wl/pkg/c.py": "",
    "wl/pkg/d.txt": "",
    "docs/x/gen/g.html": "",
    "docs/notes/a/b.md": "",
    "docs/notes/a/b.txt": "",
    "docs/readme.md": "",
  });
});
afterAll(() => removeTmp(tmp));

describe("isIgnored matches git check-ignore --no-index", () => {
  const paths = [
    "a.log",
    "keep.log",
    "build",
    "build/x.txt",
    "build/never/created.txt",
    "src/build",
    "src/build/y.txt",
    "out",
    "out/o.txt",
    "x/out",
    "x/out/z.txt",
    "out-file",
    "sub/local.txt",
    "local.txt",
    "sub/anchored.txt",
    "sub/x/anchored.txt",
    "sub/deep",
    "sub/deep/f.txt",
    "sub/a.tmp",
    "sub/important.tmp",
    "secret.txt",
    "d/secret.txt",
    "data/raw",
    "data/raw/r.csv",
    "data/raw.dvc",
    "data",
    "cache",
    "cache/c",
    "plain.txt",
    "a.txt",
    "dir/tracked.txt",
    "missing.txt",
    "missing.log",
    "wl/a.py",
    "wl/b.txt",
    "wl/pkg",
    "wl/pkg/c.py",
    "wl/pkg/d.txt",
    "wl/.gitignore",
    "docs/x/gen",
    "docs/x/gen/g.html",
    "docs/notes/a/b.md",
    "docs/notes/a/b.txt",
    "docs/readme.md",
  ];
  it.each(paths)("%s", async (p) => {
    const expected = gitTry(dir, "check-ignore", "--no-index", "-q", p).status === 0;
    expect(await isIgnored(dir, p)).toBe(expected);
  });

  it("accepts absolute paths inside the repo and refuses ones outside", async () => {
    expect(await isIgnored(dir, path.join(dir, "a.log"))).toBe(true);
    expect(await isIgnored(dir, path.join(dir, "a.txt"))).toBe(false);
    expect(await codeOf(isIgnored(dir, path.join(tmp, "elsewhere.log")))).toBe("BAD_TARGET");
  });
});

describe("isIgnored with whitelist .gitignore files (ignore all, re-include directories)", () => {
  let wl: string;
  beforeAll(() => {
    wl = path.join(tmp, "whitelist");
    git(tmp, "init", "-q", wl);
    writeFiles(wl, {
      ".gitignore": "/*\n!/src/\n!.gitignore\nsrc/**/*.bak\n",
      "src/.gitignore": "*\n!*/\n!*.py\n!.gitignore\n",
      "src/a.py": "",
      "src/a.txt": "",
      "src/x/b.bak": "",
      "src/x/c.py": "",
      "src/x/y/d.py": "",
      "src/x/y/e.md": "",
      "src/sp ace/f.py": "",
      "src/br[a]/g.py": "",
      "src/st*r/h.py": "",
      "top.txt": "",
      "other/d.txt": "",
    });
  });
  const paths = [
    "src",
    "src/a.py",
    "src/a.txt",
    "src/x",
    "src/x/b.bak",
    "src/x/c.py",
    "src/x/y",
    "src/x/y/d.py",
    "src/x/y/e.md",
    "src/sp ace",
    "src/sp ace/f.py",
    "src/br[a]/g.py",
    "src/st*r/h.py",
    "top.txt",
    "other",
    "other/d.txt",
    ".gitignore",
  ];
  it.each(paths)("%s", async (p) => {
    const expected = gitTry(wl, "check-ignore", "--no-index", "-q", p).status === 0;
    expect(await isIgnored(wl, p)).toBe(expected);
  });
});

describe("isTracked", () => {
  it("knows files and directories in the index, like git ls-files", async () => {
    expect(await isTracked(dir, "a.txt")).toBe(true);
    expect(await isTracked(dir, "dir/tracked.txt")).toBe(true);
    expect(await isTracked(dir, "dir")).toBe(true);
    expect(await isTracked(dir, "dir/nested")).toBe(true);
    expect(await isTracked(dir, "./dir/nested/")).toBe(true);
    expect(await isTracked(dir, path.join(dir, "sub", ".gitignore"))).toBe(true);
    for (const p of ["plain.txt", "di", "dir/track", "a.log", "missing"]) expect(await isTracked(dir, p)).toBe(false);
  });

  it("sees index changes made by another process (cache keyed on the index file)", async () => {
    expect(await isTracked(dir, "plain.txt")).toBe(false);
    git(dir, "add", "plain.txt");
    expect(await isTracked(dir, "plain.txt")).toBe(true);
    git(dir, "rm", "-q", "--cached", "plain.txt");
    expect(await isTracked(dir, "plain.txt")).toBe(false);
  });
});

describe("gitAdd", () => {
  it("stages new and modified files", async () => {
    writeFiles(dir, { "new/one.txt": "1\n", "a.txt": "changed\n" });
    await gitAdd(dir, ["new/one.txt", path.join(dir, "a.txt")]);
    expect(lsFiles()).toContain("new/one.txt");
    expect(git(dir, "status", "--porcelain", "--", "a.txt", "new")).toBe("M  a.txt\nA  new/one.txt");
    expect(await isTracked(dir, "new/one.txt")).toBe(true);
  });

  it("stages a directory, skipping ignored files inside it", async () => {
    writeFiles(dir, { "added/x.txt": "x\n", "added/y.log": "y\n", "added/z/w.txt": "w\n" });
    await gitAdd(dir, ["added"]);
    expect(lsFiles().filter((p) => p.startsWith("added/"))).toEqual(["added/x.txt", "added/z/w.txt"]);
  });

  it("removes vanished files and directories from the index", async () => {
    rmSync(path.join(dir, "dir", "tracked.txt"));
    await gitAdd(dir, ["dir/tracked.txt"]);
    expect(lsFiles()).not.toContain("dir/tracked.txt");
    expect(git(dir, "status", "--porcelain", "--", "dir/tracked.txt")).toBe("D  dir/tracked.txt");
    expect(await isTracked(dir, "dir/tracked.txt")).toBe(false);

    rmSync(path.join(dir, "dir"), { recursive: true });
    await gitAdd(dir, ["dir"]);
    expect(lsFiles().filter((p) => p.startsWith("dir/"))).toEqual([]);
    expect(await isTracked(dir, "dir")).toBe(false);
  });

  it("leaves git's own view consistent (the index stays readable by git)", async () => {
    mkdirSync(path.join(dir, "late"), { recursive: true });
    writeFileSync(path.join(dir, "late", "f.txt"), "f\n");
    await gitAdd(dir, ["late/f.txt", "never-existed.txt"]);
    expect(gitTry(dir, "diff", "--cached", "--quiet", "--", "late/f.txt").status).toBe(1);
    expect(git(dir, "fsck", "--no-progress").includes("error")).toBe(false);
  });

  it("refuses paths outside the repository", async () => {
    expect(await codeOf(gitAdd(dir, ["../outside.txt"]))).toBe("BAD_TARGET");
    expect(await codeOf(gitAdd(dir, [path.join(tmp, "x")]))).toBe("BAD_TARGET");
  });
});
