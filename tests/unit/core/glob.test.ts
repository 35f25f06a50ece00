// `--glob` expansion against the real thing: CPython's glob.glob(pattern, recursive=True) (what `dvc add --glob`
// calls) and fnmatch.fnmatchcase, run on the same temp tree / names through python3.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandGlobs, pyGlob } from "../../../src/core/glob.js";
import type { AppError } from "../../../src/errors.js";
import { fnmatcher } from "../../../src/util/fnmatch.js";

const python = (script: string, input: unknown): unknown =>
  JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" }));

const PY_GLOB = `
import glob, json, os, sys
req = json.load(sys.stdin)
os.chdir(req["cwd"])
print(json.dumps({p: sorted(glob.glob(p, recursive=True)) for p in req["patterns"]}))
`;

const FILES = [
  "a.txt",
  "b.csv",
  ".env",
  "]x",
  "[x",
  "ax",
  "bx",
  "x",
  "a\\b",
  "(a)",
  "{a,b}",
  "a,b",
  "sp ace",
  "é.txt",
  "!a",
  "^a",
  "data/a.csv",
  "data/b.csv",
  "data/.env",
  "data/.hidden/x",
  "data/sub/x",
  "data/sub/deep/x",
  "data/sub/y.csv",
  "data/sub/.z/x",
  "data/raw.csv.dvc",
  ".cfg/x",
  ".cfg/sub/x",
  "other/x/x",
  "other/x.csv",
];

const PATTERNS = [
  "*",
  "?",
  "??",
  "**",
  "**/",
  "**/x",
  "**/*.csv",
  "**/.*",
  ".*",
  ".*/**",
  "*/**/x",
  "data/**",
  "data/**/",
  "data/**/x",
  "data/*",
  "data/*/",
  "data/.*",
  "data/?",
  "data/**/*.csv",
  "data/s*/d*/x",
  "data/sub/**/x",
  "*/x",
  "*/*/x",
  "*/*",
  "[]]x",
  "[!a]*",
  "[!]]*",
  "[[]x",
  "[a-b]x",
  "[b-a]x",
  "[!a-]x",
  "[a-]*",
  "a[",
  "a\\b",
  "a[\\]b",
  "(a)",
  "{a,b}",
  "[{]a,b}",
  "a,b",
  "sp*",
  "é*",
  "[!.]*",
  "[.]*",
  "!a",
  "^*",
  "[^a]*",
  "a**",
  "d**a/*",
  "***/x",
  "nothing*",
  "nothing/**",
  "data/nothing/*",
  "x/*",
  "link/*",
  "link/**/x",
  "broken*",
  "empty*/",
  "empty/*",
  "./data/*",
  "data//*",
  "data/./sub/*",
  "other/*/x",
  "*.txt/x",
];

describe("pyGlob matches Python's glob.glob(recursive=True)", () => {
  let root = "";
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "dvx-glob-"));
    for (const f of FILES) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), f);
    }
    mkdirSync(join(root, "empty"));
    symlinkSync("data", join(root, "link"));
    symlinkSync("nowhere", join(root, "broken"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("for every pattern, from the tree's root", () => {
    const want = python(PY_GLOB, { cwd: root, patterns: PATTERNS }) as Record<string, string[]>;
    const got = Object.fromEntries(PATTERNS.map((p) => [p, pyGlob(root, p).sort()]));
    expect(got).toEqual(want);
    // the tree is rich enough to tell the rules apart
    expect(want["data/*"]).toEqual(["data/a.csv", "data/b.csv", "data/raw.csv.dvc", "data/sub"]);
    expect(want["[]]x"]).toEqual(["]x"]);
    expect(want["**/x"]).toContain("data/sub/deep/x");
    expect(want["**/x"]).not.toContain("data/.hidden/x");
  });

  it("from a subdirectory, with patterns that climb out of it", () => {
    const patterns = ["*", "../*", "../data/**", "../.*", "**", "sub/../*"];
    const cwd = join(root, "data");
    const want = python(PY_GLOB, { cwd, patterns }) as Record<string, string[]>;
    expect(Object.fromEntries(patterns.map((p) => [p, pyGlob(cwd, p).sort()]))).toEqual(want);
  });

  it("expandGlobs: sorted paths relative to cwd, no pointer files, nested matches folded, errors on no match", () => {
    expect(expandGlobs(root, ["data/*"])).toEqual(["data/a.csv", "data/b.csv", "data/sub"]);
    expect(expandGlobs(root, ["data/**/*.csv"])).toEqual(["data/a.csv", "data/b.csv", "data/sub/y.csv"]);
    expect(expandGlobs(root, ["data/**"])).toEqual(["data"]); // Python's `data/**` yields `data/` itself
    expect(expandGlobs(root, ["data/.*"])).toEqual(["data/.env", "data/.hidden"]);
    expect(expandGlobs(join(root, "data"), ["../other/*"])).toEqual(["../other/x", "../other/x.csv"]);
    expect(expandGlobs(root, ["plain/path", "b*"])).toEqual(["plain/path", "b.csv", "broken", "bx"]);
    let err: AppError | undefined;
    try {
      expandGlobs(root, ["a.txt", "nothing*"]);
    } catch (e) {
      err = e as AppError;
    }
    expect([err?.code, err?.exitCode]).toEqual(["BAD_TARGET", 1]);
  });
});

const PY_FNMATCH = `
import fnmatch, json, random, sys
random.seed(int(sys.stdin.read()))
pats = set(["[]]x", "[!a]*", "[!]]", "[a-]", "[-a]", "[z-a]", "[!z-a]", "[[:alpha:]]", "[!-]", "[a-c-e]", "[]-a]"])
while len(pats) < 2000:
    pats.add("".join(random.choice("ab]![-*?\\\\^\\"(){}|+@.z:&~ é") for _ in range(random.randint(1, 9))))
names = set()
while len(names) < 300:
    names.add("".join(random.choice("ab]![-^\\\\\\"(){}|+@.z:&~ é-cx") for _ in range(random.randint(1, 5))))
names -= {".", ".."}  # never listed by a directory scan
names = sorted(names)
print(json.dumps({"names": names, "hits": {p: [n for n in names if fnmatch.fnmatchcase(n, p)] for p in pats}}))
`;

describe("fnmatcher matches Python's fnmatch.fnmatchcase", () => {
  it("on 2,000 random patterns over 300 names (brackets, negation, ranges, backslashes, quotes, parens)", () => {
    for (const seed of [1, 2]) {
      const { names, hits } = python(PY_FNMATCH, seed) as { names: string[]; hits: Record<string, string[]> };
      const bad = Object.entries(hits).filter(([p, want]) => {
        const m = fnmatcher(p);
        return JSON.stringify(names.filter((n) => m(n))) !== JSON.stringify(want);
      });
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });
});

describe("picomatch loads only when a pattern is matched", () => {
  it("importing glob.ts does not load it; the first wildcard expansion does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dvx-glob-lazy-"));
    try {
      const out = join(dir, "glob.mjs");
      const ROOT = resolve(__dirname, "../../..");
      await build({
        entryPoints: [join(ROOT, "src/core/glob.ts")],
        bundle: true,
        format: "esm",
        platform: "node",
        outfile: out,
        external: ["picomatch"],
        logLevel: "silent",
      });
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
      writeFileSync(join(dir, "a.txt"), "a");
      const probe = `
import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("picomatch"));
const g = await import("./glob.mjs");
const before = loaded();
g.expandGlobs(process.argv[2], ["a.txt"]);
const plain = loaded();
g.expandGlobs(process.argv[2], ["*.txt"]);
console.log(JSON.stringify([before, plain, loaded()]));
`;
      writeFileSync(join(dir, "probe.mjs"), probe);
      const res = execFileSync(process.execPath, [join(dir, "probe.mjs"), dir], { encoding: "utf8" });
      expect(JSON.parse(res)).toEqual([false, false, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
