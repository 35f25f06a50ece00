// ObjectStore against real git: every object of repositories packed with OFS deltas (git gc), REF deltas
// (pack-objects without --delta-base-offset), loose objects and an alternates file reads back byte for byte
// as `git cat-file` prints it.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ObjectStore } from "../../../src/git/object-store.js";
import { commitAll, git, makeTmp, removeTmp, writeFiles } from "../../helpers/tmp-repo.js";

let tmp: string;
beforeAll(() => {
  tmp = makeTmp();
});
afterAll(() => removeTmp(tmp));

/** A repository whose files change a little in each of `n` commits (so packs hold long delta chains). */
function historyRepo(name: string, n: number): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  git(dir, "init", "-q");
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i} ${"x".repeat(i % 50)}`);
  for (let c = 0; c < n; c++) {
    lines[(c * 37) % lines.length] = `changed in commit ${c}`;
    writeFiles(dir, { "big.txt": lines.join("\n") + "\n", [`d/f${c % 5}.json`]: `{"c": ${c}}\n` });
    commitAll(dir, `c${c}`);
  }
  return dir;
}

function catFile(dir: string, oid: string): { type: string; data: Buffer } {
  const type = git(dir, "cat-file", "-t", oid);
  const data = execFileSync("git", ["cat-file", type, oid], { cwd: dir, maxBuffer: 64 << 20 });
  return { type, data };
}

function expectSameObjects(dir: string, gitdir = path.join(dir, ".git")): number {
  const oids = git(dir, "rev-list", "--objects", "--all")
    .split("\n")
    .map((l) => l.split(" ")[0]!)
    .filter(Boolean);
  const store = new ObjectStore(gitdir);
  for (const oid of oids) {
    const got = store.read(oid);
    const want = catFile(dir, oid);
    expect(got?.type, oid).toBe(want.type);
    expect(got?.data.equals(want.data), oid).toBe(true);
  }
  store.close();
  return oids.length;
}

describe("ObjectStore", () => {
  it("reads loose objects", () => {
    const dir = historyRepo("loose", 3);
    expect(expectSameObjects(dir)).toBeGreaterThan(10);
    expect(new ObjectStore(path.join(dir, ".git")).read("0".repeat(40))).toBeNull();
  });

  it("reads a gc'd pack with offset deltas, and objects written after it (loose)", () => {
    const dir = historyRepo("gc", 40);
    git(dir, "gc", "-q", "--aggressive");
    expect(git(dir, "count-objects", "-v")).toMatch(/^count: 0$/m);
    const packDir = path.join(dir, ".git/objects/pack");
    const idx = readdirSync(packDir).find((f) => f.endsWith(".idx"))!;
    const verify = git(dir, "verify-pack", "-v", path.join(packDir, idx));
    expect(verify).toMatch(/chain length = [2-9]/); // real delta chains
    writeFiles(dir, { "new.txt": "after gc\n" });
    commitAll(dir, "after gc");
    expectSameObjects(dir);
  });

  it("reads a pack with REF deltas (no --delta-base-offset), and expands short ids in packs and loose", () => {
    const dir = historyRepo("refdelta", 20);
    const objects = git(dir, "rev-list", "--objects", "--all") + "\n";
    const packDir = path.join(dir, ".git/objects/pack");
    execFileSync("git", ["pack-objects", "-q", "--window=10", "--depth=20", path.join(packDir, "pack")], {
      cwd: dir,
      input: objects,
    });
    git(dir, "prune-packed");
    expect(git(dir, "count-objects", "-v")).toMatch(/^count: 0$/m);
    expectSameObjects(dir);
    const head = git(dir, "rev-parse", "HEAD");
    const store = new ObjectStore(path.join(dir, ".git"));
    expect(store.expandPrefix(head.slice(0, 8))).toEqual([head]);
    writeFiles(dir, { "l.txt": "loose\n" });
    const loose = commitAll(dir, "loose");
    expect(store.expandPrefix(loose.slice(0, 7))).toEqual([loose]);
  });

  it("follows objects/info/alternates", () => {
    const base = historyRepo("base", 3);
    const dir = path.join(tmp, "borrower");
    git(tmp, "clone", "-q", "--shared", base, dir);
    expect(git(dir, "count-objects", "-v")).toMatch(/^count: 0$/m); // everything comes from the alternate
    expectSameObjects(dir);
    writeFileSync(path.join(dir, "own.txt"), "own\n");
    commitAll(dir, "own");
    expectSameObjects(dir);
  });
});
