import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, statSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { makeRepo } from "../helpers/tmp-repo.js";

describe("dvx init", () => {
  it("creates exactly what DVC creates", async () => {
    const r = await makeRepo();
    expect(r.read(".dvc/config")).toBe("");
    expect(r.read(".dvc/.gitignore")).toBe("/config.local\n/tmp\n/cache\n");
    expect(r.read(".dvcignore")).toBe(
      "# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n",
    );
    expect(existsSync(join(r.dir, ".dvc/cache"))).toBe(false);
    expect(r.git("diff", "--cached", "--name-only").trim().split("\n").sort()).toEqual([
      ".dvc/.gitignore",
      ".dvc/config",
      ".dvcignore",
    ]);
  });

  it("refuses a second init without -f, and outside git without --no-scm", async () => {
    const r = await makeRepo();
    const again = await r.run("init");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/hint:/);
    const plain = await makeRepo({ git: false, init: false });
    const res = await plain.run("init");
    expect(res.code).toBe(3);
    expect((await plain.run("init", "--no-scm")).code).toBe(0);
    expect(plain.read(".dvc/config")).toBe("[core]\n    no_scm = True\n");
  });
});

describe("dvx add", () => {
  it("writes DVC's pointer file, .gitignore and read-only cache objects", async () => {
    const r = await makeRepo({ files: { "data.csv": "a\n", "imgs/a.txt": "a\n", "imgs/sub/b.txt": "b\n" } });
    const res = await r.run("add", "data.csv", "imgs");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("data.csv.dvc")).toBe(
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: data.csv\n",
    );
    expect(r.read("imgs.dvc")).toBe(
      "outs:\n- md5: 849835d274483dc683eb416d6e4f887d.dir\n  size: 4\n  nfiles: 2\n  hash: md5\n  path: imgs\n",
    );
    expect(r.read(".gitignore")).toBe("/data.csv\n/imgs\n");
    const obj = join(r.dir, ".dvc/cache/files/md5/60/b725f10c9c85c70d97880dfe8191b3");
    expect(statSync(obj).mode & 0o777).toBe(0o444);
    const dirObj = join(r.dir, ".dvc/cache/files/md5/84/9835d274483dc683eb416d6e4f887d.dir");
    expect(readFileSync(dirObj, "utf8")).toBe(
      '[{"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "a.txt"}, {"md5": "3b5d5c3712955042212316173ccf37be", "relpath": "sub/b.txt"}]',
    );
    expect(res.stderr).toMatch(/git add .*data\.csv\.dvc/);
  });

  it("records isexec and writes the .gitignore next to the output", async () => {
    const r = await makeRepo({ files: { "sub/run.sh": "#!/bin/sh\necho hi\n" } });
    chmodSync(join(r.dir, "sub/run.sh"), 0o755);
    expect((await r.run("add", "sub/run.sh")).code).toBe(0);
    expect(r.read("sub/run.sh.dvc")).toContain("  isexec: true\n  hash: md5\n  path: run.sh\n");
    expect(r.read("sub/.gitignore")).toBe("/run.sh\n");
  });

  it("is a no-op when nothing changed, and only rewrites what changed", async () => {
    const r = await makeRepo({ files: { "d/a": "1", "d/b": "2" } });
    await r.run("add", "d");
    r.write({ "d.dvc": r.read("d.dvc").replace("outs:\n", "# keep me\nouts:\n") });
    const before = statSync(join(r.dir, "d.dvc")).mtimeMs;
    const again = await r.run("add", "d", "--json");
    expect(again.json<{ added: Array<{ changed: boolean }> }>().added[0]!.changed).toBe(false);
    expect(statSync(join(r.dir, "d.dvc")).mtimeMs).toBe(before);
    r.write({ "d/b": "22" });
    await r.run("add", "d");
    expect(r.read("d.dvc").startsWith("# keep me\nouts:\n")).toBe(true);
    expect(r.read("d.dvc")).toContain("size: 3");
  });

  it("refuses bad targets with clear errors and writes nothing", async () => {
    const r = await makeRepo({ files: { "x.txt": "x", "tracked.txt": "t", "ign/a": "a", ".dvcignore": "ign/\n" } });
    r.commit("base");
    const outside = await r.run("add", "../nope");
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/outside the repository/);
    expect((await r.run("add", "missing.txt")).stderr).toMatch(/does not exist/);
    expect((await r.run("add", ".git/config")).stderr).toMatch(/inside '.git\/'/);
    expect((await r.run("add", "tracked.txt")).stderr).toMatch(/already tracked by git/);
    expect((await r.run("add", "ign/a")).stderr).toMatch(/\.dvcignore/);
    const json = await r.run("add", "missing.txt", "--json");
    expect(json.stdout).toBe("");
    expect(JSON.parse(json.stderr).error.code).toBe("PATH_NOT_FOUND");
    expect(existsSync(join(r.dir, "x.txt.dvc"))).toBe(false);
  });

  it("refuses to add a path inside an already tracked directory", async () => {
    const r = await makeRepo({ files: { "d/a": "1" } });
    await r.run("add", "d");
    const res = await r.run("add", "d/a");
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/already an output of 'd.dvc'/);
  });

  it("honours .dvcignore inside directories and rejects symlinks that leave the repo", async () => {
    const r = await makeRepo({ files: { "d/keep": "k", "d/skip.tmp": "s", ".dvcignore": "*.tmp\n" } });
    await r.run("add", "d");
    const manifest = readFileSync(
      join(
        r.dir,
        ".dvc/cache/files/md5",
        r
          .read("d.dvc")
          .match(/md5: (\w{2})(\w+\.dir)/)!
          .slice(1)
          .join("/"),
      ),
      "utf8",
    );
    expect(manifest).toContain('"relpath": "keep"');
    expect(manifest).not.toContain("skip.tmp");
    const { symlinkSync } = await import("node:fs");
    r.write({ "e/a": "a" });
    symlinkSync("/etc/hostname", join(r.dir, "e/link"));
    const res = await r.run("add", "e");
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/symlink that points outside/);
    expect(existsSync(join(r.dir, "e.dvc"))).toBe(false);
  });

  it("--no-commit writes the pointer without storing; commit stores it later", async () => {
    const r = await makeRepo({ files: { "f.bin": "payload" } });
    await r.run("add", "--no-commit", "f.bin");
    const oid = r.read("f.bin.dvc").match(/md5: (\w+)/)![1]!;
    const obj = join(r.dir, ".dvc/cache/files/md5", oid.slice(0, 2), oid.slice(2));
    expect(existsSync(obj)).toBe(false);
    expect((await r.run("status", "--json")).json()).toEqual({
      "f.bin.dvc": [{ "changed outs": { "f.bin": "not in cache" } }],
    });
    expect((await r.run("commit", "f.bin.dvc")).code).toBe(0);
    expect(existsSync(obj)).toBe(true);
    expect((await r.run("status", "--json")).json()).toEqual({});
  });
});

describe("dvx status", () => {
  it("reports modified, deleted and not-in-cache outputs like DVC", async () => {
    const r = await makeRepo({ files: { "a.txt": "a", "b.txt": "b", "d/x": "x" } });
    await r.run("add", "a.txt", "b.txt", "d");
    expect((await r.run("status")).stdout).toBe("Data and pipelines are up to date.\n");
    r.write({ "a.txt": "changed", "d/y": "new file" });
    const { rmSync } = await import("node:fs");
    rmSync(join(r.dir, "b.txt"));
    const res = await r.run("status", "--json");
    expect(res.json()).toEqual({
      "a.txt.dvc": [{ "changed outs": { "a.txt": "modified" } }],
      "b.txt.dvc": [{ "changed outs": { "b.txt": "deleted" } }],
      "d.dvc": [{ "changed outs": { d: "modified" } }],
    });
    const text = (await r.run("status", "a.txt.dvc")).stdout;
    expect(text).toBe("a.txt.dvc:\n\tchanged outs:\n\t\tmodified:           a.txt\n");
  });

  it("-q prints nothing and answers with the exit code, as DVC: 0 up to date, 1 changed", async () => {
    const r = await makeRepo({ files: { "a.txt": "a" } });
    await r.run("add", "a.txt");
    const clean = await r.run("status", "-q");
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, "", ""]);
    r.write({ "a.txt": "changed" });
    const dirty = await r.run("-q", "status");
    expect([dirty.code, dirty.stdout, dirty.stderr]).toEqual([1, "", ""]);
    expect((await r.run("status")).code).toBe(0); // without -q a change is not an error
  });

  it("works outside git only with --no-scm, and names a missing repo", async () => {
    const r = await makeRepo({ git: false, init: false });
    const res = await r.run("status");
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/hint:/);
  });
});

describe("dvx add --glob, --out and --desc", () => {
  it("expands wildcards itself and tracks each match", async () => {
    const r = await makeRepo({
      files: { "data/a.csv": "a", "data/b.csv": "b", "data/c.txt": "c", "data/.x.csv": "h" },
    });
    const res = await r.run("add", "--glob", "data/*.csv", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(
      res
        .json<{ added: Array<{ path: string }> }>()
        .added.map((a) => a.path)
        .sort(),
    ).toEqual(["data/a.csv", "data/b.csv"]);
    expect(existsSync(join(r.dir, "data/c.txt.dvc"))).toBe(false);
    expect(existsSync(join(r.dir, "data/.x.csv.dvc"))).toBe(false); // `*` skips hidden names, as Python's glob
    const none = await r.run("add", "--glob", "data/*.parquet");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/matches nothing/);
  });

  it("-o copies outside data into the repo and tracks the copy; --desc is recorded", async () => {
    const outside = await makeRepo({ git: false, init: false, files: { "ext/x.bin": "external" } });
    const r = await makeRepo();
    const res = await r.run("add", join(outside.dir, "ext/x.bin"), "-o", "in/x.bin", "--desc", "copied in");
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("in/x.bin")).toBe("external");
    expect(r.read("in/x.bin.dvc")).toBe(
      "outs:\n- md5: " +
        createHash("md5").update("external").digest("hex") +
        "\n  size: 8\n  hash: md5\n  path: x.bin\n  desc: copied in\n",
    );
    const again = await r.run("add", join(outside.dir, "ext/x.bin"), "-o", "in/x.bin");
    expect(again.code).toBe(1); // the destination exists: nothing is overwritten
  });
});
