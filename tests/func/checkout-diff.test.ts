import { describe, expect, it } from "vitest";
import { existsSync, linkSync, lstatSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { makeRepo } from "../helpers/tmp-repo.js";

describe("dvx checkout", () => {
  it("restores deleted files and directories from the cache", async () => {
    const r = await makeRepo({ files: { "f.txt": "f", "d/a": "a", "d/s/b": "b" } });
    await r.run("add", "f.txt", "d");
    rmSync(join(r.dir, "f.txt"));
    rmSync(join(r.dir, "d"), { recursive: true });
    const res = await r.run("checkout");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("f.txt")).toBe("f");
    expect(r.read("d/s/b")).toBe("b");
    expect(statSync(join(r.dir, "f.txt")).mode & 0o222).not.toBe(0); // a writable copy
  });

  it("switches data between git revisions and removes files the old version lacks", async () => {
    const r = await makeRepo({ files: { "d/a": "v1" } });
    await r.run("add", "d");
    r.commit("v1");
    r.write({ "d/a": "v2", "d/new": "n" });
    await r.run("add", "d");
    r.commit("v2");
    r.git("checkout", "-q", "HEAD~1");
    const res = await r.run("checkout");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("d/a")).toBe("v1");
    expect(existsSync(join(r.dir, "d/new"))).toBe(false);
  });

  it("refuses to overwrite changes that are not in the cache unless -f", async () => {
    const r = await makeRepo({ files: { "f.txt": "v1" } });
    await r.run("add", "f.txt");
    r.write({ "f.txt": "unsaved work" });
    const res = await r.run("checkout", "--json");
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr).error.code).toBe("UNCOMMITTED_CHANGES");
    expect(r.read("f.txt")).toBe("unsaved work");
    expect((await r.run("checkout", "-f")).code).toBe(0);
    expect(r.read("f.txt")).toBe("v1");
  });

  it("uses hardlinks and symlinks when cache.type asks for them, without touching the cache", async () => {
    const r = await makeRepo({ files: { "f.txt": "content", "g.txt": "other" } });
    expect((await r.run("config", "cache.type", "hardlink,copy")).code).toBe(0);
    await r.run("add", "f.txt");
    const obj = join(r.dir, ".dvc/cache/files/md5/9a/0364b9e99bb480dd25e1f0284c8555");
    expect(statSync(join(r.dir, "f.txt")).ino).toBe(statSync(obj).ino);
    await r.run("config", "cache.type", "symlink");
    rmSync(join(r.dir, "f.txt"));
    expect((await r.run("checkout")).code).toBe(0);
    expect(lstatSync(join(r.dir, "f.txt")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(r.dir, "f.txt"))).toBe(obj);
    expect(statSync(obj).mode & 0o777).toBe(0o444);
    void linkSync;
  });

  it("fails with a pull hint when objects are missing from the cache", async () => {
    const r = await makeRepo({ files: { "f.txt": "x" } });
    await r.run("add", "f.txt");
    rmSync(join(r.dir, ".dvc/cache"), { recursive: true, force: true });
    rmSync(join(r.dir, "f.txt"));
    const res = await r.run("checkout");
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/dvx pull/);
  });
});

describe("dvx diff", () => {
  it("lists added, deleted, modified and renamed data between revisions", async () => {
    const r = await makeRepo({ files: { "d/a": "a", "d/b": "b", "d/c": "c", "f.txt": "1" } });
    await r.run("add", "d", "f.txt");
    r.commit("one");
    r.write({ "d/a": "a2", "d/n": "new", "f.txt": "2" });
    rmSync(join(r.dir, "d/b"));
    const { renameSync } = await import("node:fs");
    renameSync(join(r.dir, "d/c"), join(r.dir, "d/c2"));
    await r.run("add", "d", "f.txt");
    r.commit("two");
    const res = await r.run("diff", "HEAD~1", "HEAD", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({
      added: [{ path: "d/n" }],
      deleted: [{ path: "d/b" }],
      modified: [{ path: "d/" }, { path: "d/a" }, { path: "f.txt" }],
      renamed: [{ path: { old: "d/c", new: "d/c2" } }],
    });
    const md = (await r.run("diff", "HEAD~1", "HEAD", "--md")).stdout;
    expect(md.split("\n")[0]).toBe("| Status   | Path        |");
    expect(md).toContain("| renamed  | d/c -> d/c2 |");
    expect((await r.run("diff", "--json")).json()).toEqual({});
  });

  it("compares against the workspace by default and names unknown revisions", async () => {
    const r = await makeRepo({ files: { "f.txt": "1" } });
    await r.run("add", "f.txt");
    r.commit("one");
    r.write({ "f.txt": "2" });
    expect((await r.run("diff", "--json")).json()).toEqual({
      added: [],
      deleted: [],
      modified: [{ path: "f.txt" }],
      renamed: [],
      "not in cache": [],
    });
    const bad = await r.run("diff", "nope");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown git revision 'nope'/);
  });
});

describe("dvx remove and gc", () => {
  it("remove deletes the pointer and its .gitignore line, keeping data unless --outs", async () => {
    const r = await makeRepo({ files: { "a.txt": "a", "b.txt": "b" } });
    await r.run("add", "a.txt", "b.txt");
    expect((await r.run("remove", "a.txt.dvc")).code).toBe(0);
    expect(existsSync(join(r.dir, "a.txt.dvc"))).toBe(false);
    expect(r.read("a.txt")).toBe("a");
    expect(r.read(".gitignore")).toBe("/b.txt\n");
    await r.run("remove", "b.txt.dvc", "--outs");
    expect(existsSync(join(r.dir, "b.txt"))).toBe(false);
    expect(existsSync(join(r.dir, ".gitignore"))).toBe(false);
  });

  it("gc needs a scope and keeps what branches and tags use when asked", async () => {
    const r = await makeRepo({ files: { "f.txt": "v1" } });
    await r.run("add", "f.txt");
    r.commit("v1");
    r.git("tag", "v1");
    r.write({ "f.txt": "v2" });
    await r.run("add", "f.txt");
    const noScope = await r.run("gc");
    expect(noScope.code).toBe(2);
    const dry = await r.run("gc", "-w", "-T", "--dry", "--json");
    expect(dry.json<{ removed: string[] }>().removed).toEqual([]);
    const dryW = await r.run("gc", "-w", "--dry", "--json");
    expect(dryW.json<{ removed: string[] }>().removed).toHaveLength(1);
    const noForce = await r.run("gc", "-w");
    expect(noForce.code).toBe(2); // no TTY to confirm on
    expect((await r.run("gc", "-w", "-f")).code).toBe(0);
    expect((await r.run("gc", "-w", "--dry", "--json")).json<{ removed: string[] }>().removed).toEqual([]);
    r.git("stash", "-u");
    r.git("checkout", "-q", "v1");
    const co = await r.run("checkout", "-f");
    expect(co.code).toBe(1); // v1's object was collected
    expect(readFileSync(join(r.dir, "f.txt.dvc"), "utf8")).toContain("md5:");
  });
});

describe("checkout never writes outside the repository", () => {
  it("refuses symlinks that lead out, inside a tracked directory or above an output", async () => {
    const { mkdtempSync, symlinkSync, readdirSync: ls, mkdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const outside = mkdtempSync(join(tmpdir(), "dvx-outside-"));
    try {
      const r = await makeRepo({ files: { "d/sub/a.txt": "a", "x.csv": "x" } });
      await r.run("add", "d", "x.csv");
      // a pointer file whose output lives in a sub-directory (valid: paths are relative to the .dvc file)
      r.write({ "x.csv.dvc": r.read("x.csv.dvc").replace("path: x.csv", "path: p/x.csv") });
      // a sub-directory of a tracked directory replaced by a link out
      rmSync(join(r.dir, "d"), { recursive: true });
      mkdirSync(join(r.dir, "d"));
      symlinkSync(outside, join(r.dir, "d/sub"));
      const inDir = await r.run("checkout", "-f", "d.dvc", "--json");
      expect(inDir.code).toBe(1);
      expect(JSON.parse(inDir.stderr).error.code).toBe("BAD_TARGET");
      // the parent directory of a tracked file replaced by a link out
      symlinkSync(outside, join(r.dir, "p"));
      const above = await r.run("checkout", "-f", "x.csv.dvc", "--json");
      expect(above.code).toBe(5);
      expect(JSON.parse(above.stderr).error.code).toBe("UNSAFE_PATH");
      expect(ls(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
