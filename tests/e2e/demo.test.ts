// The README's main job, `npm run demo` (scripts/demo.mjs), end to end: the example pipeline is created,
// reproduced, pushed, changed, compared, drawn, cloned and pulled. The demo checks each step itself and exits
// non-zero at the first unexpected result; this test also checks what it leaves behind (KEEP=1).
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";

const DEMO = resolve(__dirname, "../../scripts/demo.mjs");
let base = "";

describe("npm run demo", () => {
  let res: SpawnSyncReturns<string>;
  beforeAll(() => {
    ensureBuilt();
    res = spawnSync(process.execPath, [DEMO], {
      env: { ...process.env, KEEP: "1", NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 170_000,
    });
    base = /plots written to (\S+)\/plots\/index\.html/.exec(res.stdout)?.[1] ?? "";
  }, 180_000);
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("passes every step", () => {
    expect(res.status, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toMatch(/demo finished: \d+ steps passed/);
  });

  it("leaves a clone whose lock, metrics and model equal the project's", () => {
    expect(base).not.toBe("");
    const project = join(base, "penguins");
    const clone = join(base, "clone");
    const same = (p: string): void => {
      expect(existsSync(join(clone, p)), p).toBe(true);
      expect(readFileSync(join(clone, p)).equals(readFileSync(join(project, p))), p).toBe(true);
    };
    same("dvc.lock");
    same("params.yaml");
    const lock = readFileSync(join(project, "dvc.lock"), "utf8");
    for (const stage of ["download", "split", "train", "evaluate"]) expect(lock).toContain(`  ${stage}:\n`);
    const html = readFileSync(join(base, "plots/index.html"), "utf8");
    expect(html).toContain("<svg");
  });
});
