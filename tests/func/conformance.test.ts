// Runs the DVC conformance checks (a copy of ../shared/fixtures/conformance.sh with the fixtures made by
// real DVC 3.64) against the built CLI, one group at a time, and requires every check to pass.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

function runGroup(...groups: string[]): { passed: number; failed: number; out: string } {
  // the script looks for basic/ and pipeline/ beside itself
  const dir = mkdtempSync(join(tmpdir(), "dvx-conf-"));
  try {
    cpSync(join(ROOT, "tests/fixtures/conformance.sh"), join(dir, "conformance.sh"));
    cpSync(join(ROOT, "tests/fixtures/basic"), join(dir, "basic"), { recursive: true });
    cpSync(join(ROOT, "tests/fixtures/pipeline"), join(dir, "pipeline"), { recursive: true });
    const r = spawnSync(
      "bash",
      [join(dir, "conformance.sh"), ...groups.flatMap((g) => ["--only", g]), "--", "node", join(ROOT, "bin/dvx.js")],
      { encoding: "utf8", cwd: ROOT },
    );
    const out = r.stdout + r.stderr;
    const m = /(\d+) passed, (\d+) failed/.exec(out);
    return { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? -1), out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 4 + 7 + 2 + 5 = the 18 checks real DVC passes
describe("DVC conformance on repositories made by real DVC", { timeout: 180_000 }, () => {
  it("core: status, diff --json/--md and checkout on a DVC-made repo", () => {
    const r = runGroup("core");
    expect(r.out).not.toMatch(/^FAIL/m);
    expect(r.passed).toBe(4);
  });

  it("metrics and params: show/diff --json, --md and terminal tables as DVC printed them", () => {
    const r = runGroup("metrics", "params");
    expect(r.out).not.toMatch(/^FAIL/m);
    expect(r.passed).toBe(7);
  });

  it("remotes: status -c after DVC's push and pull of what DVC pushed", () => {
    const r = runGroup("remotes");
    expect(r.out).not.toMatch(/^FAIL/m);
    expect(r.passed).toBe(2);
  });

  it("pipelines: dag --md, dvc.lock byte for byte, status --json before and after changes, params diff", () => {
    const r = runGroup("pipelines");
    expect(r.out).not.toMatch(/^FAIL/m);
    expect(r.passed).toBe(5);
  });
});
