// Tests that spawn bin/dvx.js need a current build (tsc output and the bundle bin/dvx.js loads).
// `npm test` builds first; when vitest runs alone after an edit, this rebuilds once, serialised across
// test workers by a lock directory.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");
const BUNDLE = join(ROOT, "dist/bundle/main.cjs");

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
    0,
  );

export const buildIsStale = (): boolean => !existsSync(BUNDLE) || newest(join(ROOT, "src")) > statSync(BUNDLE).mtimeMs;

export function ensureBuilt(): void {
  if (!buildIsStale()) return;
  const lock = join(tmpdir(), "dvx-test-build.lock");
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // EEXIST: another worker is building; wait for it (or take over after 60 s)
      if (i > 600) rmSync(lock, { recursive: true, force: true });
      execFileSync("sleep", ["0.1"]);
    }
  }
  try {
    if (buildIsStale()) {
      execFileSync(
        process.execPath,
        [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.json")],
        { cwd: ROOT, stdio: "pipe" },
      );
      execFileSync(process.execPath, [join(ROOT, "scripts/bundle.mjs")], { cwd: ROOT, stdio: "pipe" });
    }
  } catch (err) {
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? "";
    throw new Error(`the build failed (these tests spawn the built CLI):\n${out.slice(0, 4000)}`, { cause: err });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
