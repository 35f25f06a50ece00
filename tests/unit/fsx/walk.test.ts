// Directory walks: fastLstat against fs.lstatSync, and the two-thread walk against the one-thread walk.
// The worker only exists compiled, so the parallel walk is exercised through dist/ (built by ensureBuilt).
import { chmodSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fastLstat, fastLstatMode, resetFastLstat } from "../../../src/fsx/fast-stat.js";
import { ensureBuilt } from "../../helpers/build.js";
import { tmpDir } from "../../helpers/tmp-repo.js";
import { asUnprivileged, isRoot, openToOthers, readableCopy } from "../../helpers/unprivileged.js";

const DIST = resolve(__dirname, "../../../dist");

describe("fastLstat", () => {
  it("gives exactly the fields fs.lstatSync gives (ino, size, mtimeMs to the bit, mode), via the raw binding", () => {
    resetFastLstat();
    const dir = tmpDir();
    const files = ["a", "b", "c"].map((n, i) => {
      const p = join(dir, n);
      writeFileSync(p, "x".repeat(i * 1000 + 1));
      if (i === 2) chmodSync(p, 0o755);
      return p;
    });
    for (const p of [...files, ...files]) {
      const st = lstatSync(p);
      expect(fastLstat(p)).toEqual({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode });
    }
    expect(fastLstat(files[2]!).mode & 0o777).toBe(0o755);
    expect(fastLstatMode()).toBe("raw"); // on the Node versions we support the binding is there and agrees
  });

  it("throws like fs.lstatSync for a missing path, in either mode", () => {
    for (const mode of [undefined, "fs"] as const) {
      resetFastLstat(mode);
      expect(() => fastLstat("/nonexistent-dvx/x")).toThrow(expect.objectContaining({ code: "ENOENT" }));
    }
    resetFastLstat();
    fastLstat(process.execPath); // probe
    expect(() => fastLstat("/nonexistent-dvx/y")).toThrow(expect.objectContaining({ code: "ENOENT" }));
  });

  it("a symlink is stat'ed itself, not followed", () => {
    resetFastLstat();
    const dir = tmpDir();
    writeFileSync(join(dir, "t"), "target content");
    symlinkSync("t", join(dir, "l"));
    fastLstat(join(dir, "t"));
    const st = fastLstat(join(dir, "l"));
    expect(st.mode & 0o170000).toBe(0o120000);
    expect(st.ino).toBe(lstatSync(join(dir, "l")).ino);
  });
});

describe("walkFilesParallel (compiled, with its worker)", () => {
  type Walk = typeof import("../../../src/fsx/walk.js");
  type Ignore = typeof import("../../../src/fsx/dvcignore.js");
  let walk: Walk;
  let ignoreMod: Ignore;
  beforeAll(async () => {
    ensureBuilt();
    walk = (await import(join(DIST, "fsx/walk.js"))) as Walk;
    ignoreMod = (await import(join(DIST, "fsx/dvcignore.js"))) as Ignore;
  }, 120_000);

  function tree(): string {
    const root = tmpDir();
    for (let d = 0; d < 10; d++) {
      mkdirSync(join(root, "data", `d${d}`, "deep"), { recursive: true });
      for (let i = 0; i < 850; i++) writeFileSync(join(root, "data", `d${d}`, `f${i}`), `${d}/${i}`);
      writeFileSync(join(root, "data", `d${d}`, "deep", "z"), "deep");
    }
    writeFileSync(join(root, "data", "top.txt"), "top");
    writeFileSync(join(root, "data", "d3", "a-b"), "sorts before a/ but after a");
    mkdirSync(join(root, "data", "d3", "a"));
    writeFileSync(join(root, "data", "d3", "a", "x"), "x");
    writeFileSync(join(root, "data", "d7", "target"), "t");
    symlinkSync("target", join(root, "data", "d7", "link"));
    symlinkSync("../d1", join(root, "data", "d8", "dirlink")); // links to directories are not descended
    mkdirSync(join(root, "data", "d9", ".git"));
    writeFileSync(join(root, "data", "d9", ".git", "skipped"), "s");
    return root;
  }

  const opts = (root: string) => ({ repoRoot: root, dirRel: "data", ignore: new ignoreMod.DvcIgnore(root) });
  const plain = (files: Array<{ rel: string; abs: string; stat: unknown }>) => files.map((f) => [f.rel, f.abs, f.stat]);

  it("returns exactly what the one-thread walk returns, sorted the same way, and used the worker", async () => {
    const root = tree();
    const before = walk.parallelWalks;
    const par = await walk.walkFilesParallel(opts(root), 9000);
    expect(walk.parallelWalks).toBe(before + 1);
    const seq = walk.walkFiles(opts(root));
    expect(par.length).toBe(10 * 851 + 1 + 2 + 2);
    expect(plain(par)).toEqual(plain(seq));
    const rels = par.map((f) => f.rel);
    expect(rels).toContain("d7/link");
    expect(rels).not.toContain("d8/dirlink");
    expect(rels.some((r) => r.startsWith("d9/.git"))).toBe(false);
    expect(rels.indexOf("d3/a-b")).toBeLessThan(rels.indexOf("d3/a/x"));
  });

  it("small trees and trees with .dvcignore rules take the one-thread walk", async () => {
    const root = tree();
    const before = walk.parallelWalks;
    await walk.walkFilesParallel(opts(root), 100);
    writeFileSync(join(root, ".dvcignore"), "*.tmp\n");
    writeFileSync(join(root, "data", "d2", "junk.tmp"), "j");
    const res = await walk.walkFilesParallel(opts(root), 9000);
    expect(walk.parallelWalks).toBe(before);
    expect(res.map((f) => f.rel)).not.toContain("d2/junk.tmp");
  });

  it("reports a nested .dvcignore and a symlink out of the repo wherever they are, as the one-thread walk does", async () => {
    for (let d = 0; d < 10; d += 9) {
      const root = tree();
      writeFileSync(join(root, "data", `d${d}`, ".dvcignore"), "x\n");
      await expect(walk.walkFilesParallel(opts(root), 9000)).rejects.toThrow(
        /\.dvcignore file must not be inside a tracked directory/,
      );
    }
    for (let d = 0; d < 10; d += 9) {
      const root = tree();
      const outside = tmpDir();
      writeFileSync(join(outside, "secret"), "s");
      symlinkSync(join(outside, "secret"), join(root, "data", `d${d}`, "escape"));
      await expect(walk.walkFilesParallel(opts(root), 9000)).rejects.toThrow(/points outside the repository/);
    }
  });

  // root reads anything: as root, the walk runs in a child process as `nobody` (tests/helpers/unprivileged.ts)
  it("an unreadable subdirectory fails the walk with the fs error, from either thread", () => {
    const root = tree();
    const dist = isRoot ? readableCopy(DIST) : DIST;
    if (isRoot) openToOthers(root);
    const script = [
      `const walk = await import(${JSON.stringify(join(dist, "fsx/walk.js"))});`,
      `const ig = await import(${JSON.stringify(join(dist, "fsx/dvcignore.js"))});`,
      `const opts = { repoRoot: process.argv[1], dirRel: "data", ignore: new ig.DvcIgnore(process.argv[1]) };`,
      `const n = walk.parallelWalks;`,
      `try { await walk.walkFilesParallel(opts, 9000); console.log("no error", walk.parallelWalks - n); }`,
      `catch (e) { console.log(e.code, walk.parallelWalks - n); }`,
    ].join("\n");
    // a file, not --eval: the worker thread would inherit --input-type and refuse its own file
    const file = join(dist, "..", "probe-walk.mjs");
    writeFileSync(file, script.replace(/process\.argv\[1\]/g, "process.argv[2]"));
    if (isRoot) openToOthers(file);
    const run = (): string => {
      const [cmd, ...args] = asUnprivileged([process.execPath, file, root]);
      return execFileSync(cmd!, args, { encoding: "utf8" }).trim();
    };
    expect(run()).toBe("no error 1"); // the tree is readable by that user: the check below is not vacuous
    chmodSync(join(root, "data", "d0"), 0o000); // walked by this thread
    expect(run()).toMatch(/^EACCES /);
    chmodSync(join(root, "data", "d0"), 0o755);
    chmodSync(join(root, "data", "d9"), 0o000); // walked by the worker
    expect(run()).toMatch(/^EACCES /);
  });
});
