// bin/dvx.js: loads dist/bundle/main.cjs through a V8 code cache kept beside it. The cache is an optimisation
// only: a missing or corrupt one must never change what dvx does, and must be (re)written after the run.
// Each test runs a private copy of the package (bin/, dist/bundle/, templates/, package.json) so the real cache
// that other tests use is never touched.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";
import { tmpDir } from "../helpers/tmp-repo.js";
import { asUnprivileged, isRoot, openToOthers } from "../helpers/unprivileged.js";

const ROOT = resolve(__dirname, "../..");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

function packageCopy(): { dir: string; cacheFile: () => string | undefined } {
  const dir = tmpDir();
  for (const p of ["bin", "templates", "package.json"]) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  mkdirSync(join(dir, "dist"));
  cpSync(join(ROOT, "dist/bundle"), join(dir, "dist/bundle"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const bundleDir = join(dir, "dist/bundle");
  const cacheFile = (): string | undefined => {
    const f = readdirSync(bundleDir).find((n) => n.endsWith(".v8cache"));
    return f === undefined ? undefined : join(bundleDir, f);
  };
  return { dir, cacheFile };
}

const version = (pkgDir: string, cwd = pkgDir): string =>
  execFileSync(process.execPath, [join(pkgDir, "bin/dvx.js"), "--version"], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });

beforeAll(() => ensureBuilt(), 120_000);

describe("bin/dvx.js code cache", () => {
  it("the build ships a warmed cache, and a run that accepts it leaves it alone", () => {
    const { dir, cacheFile } = packageCopy();
    const file = cacheFile();
    expect(file).toBeDefined();
    const before = readFileSync(file!);
    // warmed by `dvx status` at build time: more compiled functions than a bare `--version` run leaves
    const other = packageCopy();
    rmSync(other.cacheFile()!);
    version(other.dir);
    expect(before.length).toBeGreaterThan(statSync(other.cacheFile()!).size);
    const mtime = statSync(file!).mtimeMs;
    expect(version(dir).trim()).toBe(PKG.version);
    expect(statSync(file!).mtimeMs).toBe(mtime);
    expect(readFileSync(file!).equals(before)).toBe(true);
  });

  it("a missing cache: dvx runs normally and writes one (no temp file left)", () => {
    const { dir, cacheFile } = packageCopy();
    const file = cacheFile()!;
    rmSync(file);
    expect(version(dir).trim()).toBe(PKG.version);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(1000);
    expect(readdirSync(join(dir, "dist/bundle")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("a corrupt cache: V8 rejects it, dvx runs normally and replaces it", () => {
    const { dir, cacheFile } = packageCopy();
    const file = cacheFile()!;
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(file, garbage);
    expect(version(dir).trim()).toBe(PKG.version);
    const after = readFileSync(file);
    expect(after.equals(garbage)).toBe(false);
    expect(after.length).toBeGreaterThan(1000);
  });

  // root writes into a read-only directory anyway: as root, dvx runs as `nobody` (tests/helpers/unprivileged.ts)
  it("an unwritable bundle directory costs only the speed-up", () => {
    const { dir, cacheFile } = packageCopy();
    rmSync(cacheFile()!);
    execFileSync("chmod", ["a-w", join(dir, "dist/bundle")]);
    if (isRoot) openToOthers(dir);
    try {
      const [cmd, ...args] = asUnprivileged([process.execPath, join(dir, "bin/dvx.js"), "--version"]);
      const out = execFileSync(cmd!, args, { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH } });
      expect(out.trim()).toBe(PKG.version);
      expect(cacheFile()).toBeUndefined();
    } finally {
      execFileSync("chmod", ["u+w", join(dir, "dist/bundle")]);
    }
  });

  it("without a bundle, the launcher falls back to the plain tsc output", () => {
    const { dir } = packageCopy();
    rmSync(join(dir, "dist/bundle"), { recursive: true });
    cpSync(join(ROOT, "dist/cli"), join(dir, "dist/cli"), { recursive: true });
    for (const d of readdirSync(join(ROOT, "dist")))
      if (!existsSync(join(dir, "dist", d))) cpSync(join(ROOT, "dist", d), join(dir, "dist", d), { recursive: true });
    expect(version(dir).trim()).toBe(PKG.version);
  });
});
