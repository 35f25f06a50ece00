// Stage change detection (src/pipeline/changes.ts) against DVC's rules (docs/formats.md §9.2): every status
// word `dvx status` prints, and whether `repro` must act, from hand-made observations.
import { describe, expect, it } from "vitest";
import {
  isCallback,
  paramsStatus,
  stageChanged,
  stageStatus,
  type Observed,
  type ObservedParams,
} from "../../../src/pipeline/changes.js";
import type { Stage } from "../../../src/pipeline/types.js";
import { PyFloat } from "../../../src/util/py-float.js";

function mkStage(over: Partial<Stage> = {}): Stage {
  return {
    name: "s",
    file: "dvc.yaml",
    address: "s",
    cmd: "run",
    wdir: "",
    deps: [{ path: "in.txt", decl: "in.txt" }],
    params: [],
    outs: [{ path: "out.txt", decl: "out.txt", cache: true, persist: false, push: true, kind: "outs", extra: {} }],
    frozen: false,
    alwaysChanged: false,
    ...over,
  };
}

function obs(over: Partial<Observed> = {}): Observed {
  return {
    locked: true,
    cmdChanged: false,
    deps: [{ path: "in.txt", status: null }],
    params: [],
    outs: [{ path: "out.txt", status: null }],
    ...over,
  };
}

const params = (over: Partial<ObservedParams>): ObservedParams => ({
  path: "params.yaml",
  keys: ["lr"],
  current: { lr: 0.1 },
  recorded: { lr: 0.1 },
  ...over,
});

describe("stageStatus (dvx status)", () => {
  it("is empty for an up-to-date stage", () => {
    expect(stageStatus(mkStage(), obs())).toEqual([]);
    expect(stageChanged(mkStage(), obs())).toEqual({ changed: false, reasons: [] });
  });

  it("reports a changed command", () => {
    expect(stageStatus(mkStage(), obs({ cmdChanged: true }))).toEqual(["changed command"]);
    expect(stageChanged(mkStage(), obs({ cmdChanged: true })).changed).toBe(true);
  });

  it("reports deleted and modified deps", () => {
    const o = obs({
      deps: [
        { path: "in.txt", status: "deleted" },
        { path: "code.py", status: "modified" },
        { path: "same.txt", status: null },
      ],
    });
    expect(stageStatus(mkStage(), o)).toEqual([{ "changed deps": { "in.txt": "deleted", "code.py": "modified" } }]);
    expect(stageChanged(mkStage(), o).reasons).toEqual(["dep deleted: in.txt", "dep modified: code.py"]);
  });

  it("reports deleted, modified and not-in-cache outs", () => {
    const o = obs({
      outs: [
        { path: "a", status: "deleted" },
        { path: "b", status: "modified" },
        { path: "c", status: "not in cache" },
      ],
    });
    expect(stageStatus(mkStage(), o)).toEqual([{ "changed outs": { a: "deleted", b: "modified", c: "not in cache" } }]);
    expect(stageChanged(mkStage(), o).changed).toBe(true);
  });

  it("orders the entries deps, outs, always changed, changed command", () => {
    const o = obs({
      cmdChanged: true,
      deps: [{ path: "in.txt", status: "modified" }],
      outs: [{ path: "out.txt", status: "deleted" }],
    });
    expect(stageStatus(mkStage({ alwaysChanged: true }), o)).toEqual([
      { "changed deps": { "in.txt": "modified" } },
      { "changed outs": { "out.txt": "deleted" } },
      "always changed",
      "changed command",
    ]);
  });

  it("reports always_changed stages and callback stages (no deps, no outs) as always changed", () => {
    expect(stageStatus(mkStage({ alwaysChanged: true }), obs())).toEqual(["always changed"]);
    const callback = mkStage({ deps: [], outs: [] });
    expect(isCallback(callback)).toBe(true);
    expect(isCallback(mkStage({ deps: [] }))).toBe(false);
    expect(isCallback(mkStage({ deps: [], outs: [], params: [{ file: "p.yaml", decl: "p.yaml", keys: null }] }))).toBe(
      false,
    );
    expect(stageStatus(callback, obs({ deps: [], outs: [], locked: false }))).toEqual(["always changed"]);
    expect(stageChanged(callback, obs({ deps: [], outs: [], locked: false })).changed).toBe(true);
    expect(stageChanged(mkStage({ alwaysChanged: true }), obs()).changed).toBe(true);
  });

  it("does not check the deps of a frozen stage, but does check its outs", () => {
    const frozen = mkStage({ frozen: true });
    const depChanged = obs({
      deps: [{ path: "in.txt", status: "modified" }],
      params: [params({ current: { lr: 0.2 } })],
    });
    expect(stageStatus(frozen, depChanged)).toEqual([]);
    expect(stageChanged(frozen, depChanged).changed).toBe(false);
    const outGone = obs({ outs: [{ path: "out.txt", status: "deleted" }] });
    expect(stageStatus(frozen, outGone)).toEqual([{ "changed outs": { "out.txt": "deleted" } }]);
    expect(stageChanged(frozen, outGone).changed).toBe(true);
  });

  it("a frozen callback stage is still shown as always changed but is not re-run", () => {
    const s = mkStage({ frozen: true, deps: [], outs: [] });
    const o = obs({ deps: [], outs: [] });
    expect(stageStatus(s, o)).toEqual(["always changed"]);
    expect(stageChanged(s, o).changed).toBe(false);
  });
});

describe("params", () => {
  it("reports new, deleted and modified keys", () => {
    const p = params({
      keys: ["lr", "epochs", "seed", "same"],
      current: { lr: 0.2, seed: 1, same: "x" },
      recorded: { lr: 0.1, epochs: 10, same: "x" },
    });
    expect(paramsStatus(p)).toEqual({ lr: "modified", epochs: "deleted", seed: "new" });
    const entries = stageStatus(mkStage(), obs({ params: [p] }));
    expect(entries).toEqual([
      { "changed deps": { "params.yaml": { lr: "modified", epochs: "deleted", seed: "new" } } },
    ]);
  });

  it("treats 1 and 1.0 (and true and 1) as equal, as Python does", () => {
    expect(paramsStatus(params({ current: { lr: 1 }, recorded: { lr: new PyFloat(1) } }))).toBeNull();
    expect(paramsStatus(params({ current: { lr: new PyFloat(1) }, recorded: { lr: 1 } }))).toBeNull();
    expect(paramsStatus(params({ current: { lr: true }, recorded: { lr: 1 } }))).toBeNull();
    expect(paramsStatus(params({ current: { lr: "1" }, recorded: { lr: 1 } }))).toEqual({ lr: "modified" });
    expect(
      paramsStatus(
        params({ keys: ["opt"], current: { opt: { b: 2, a: [1, 2] } }, recorded: { opt: { a: [1, 2], b: 2 } } }),
      ),
    ).toBeNull();
  });

  it("compares every key of both sides for a whole-file params dependency", () => {
    const p = params({ keys: null, current: { a: 1, b: 2, c: 3 }, recorded: { a: 1, b: 5, d: 4 } });
    expect(paramsStatus(p)).toEqual({ b: "modified", c: "new", d: "deleted" });
  });

  it("reports a missing params file as deleted and a file not yet recorded as new", () => {
    expect(paramsStatus(params({ current: null }))).toBe("deleted");
    expect(paramsStatus(params({ recorded: undefined }))).toBe("new");
    const o = obs({ params: [params({ path: "train.json", current: null })] });
    expect(stageStatus(mkStage(), o)).toEqual([{ "changed deps": { "train.json": "deleted" } }]);
    expect(stageChanged(mkStage(), o).reasons).toEqual(["params deleted: train.json"]);
  });

  it("makes repro run the stage, with one reason per key", () => {
    const o = obs({ params: [params({ keys: ["lr", "bs"], current: { lr: 0.2, bs: 8 }, recorded: { lr: 0.1 } })] });
    expect(stageChanged(mkStage(), o)).toEqual({
      changed: true,
      reasons: ["param modified: params.yaml lr", "param new: params.yaml bs"],
    });
  });
});

describe("stageChanged (repro)", () => {
  it("runs a stage that has no lock entry, with one reason", () => {
    const o = obs({
      locked: false,
      deps: [{ path: "in.txt", status: "modified" }],
      params: [params({ recorded: undefined })],
      outs: [{ path: "out.txt", status: "deleted" }],
    });
    expect(stageChanged(mkStage(), o)).toEqual({ changed: true, reasons: ["never run (no entry in dvc.lock)"] });
  });

  it("with allowMissing, ignores outputs that are only missing, and deleted deps produced upstream", () => {
    const missing = obs({
      deps: [{ path: "mid.txt", status: "deleted" }],
      outs: [
        { path: "a", status: "deleted" },
        { path: "b", status: "not in cache" },
      ],
    });
    const produced = (p: string): boolean => p === "mid.txt";
    expect(stageChanged(mkStage(), missing, { allowMissing: true, produced }).changed).toBe(false);
    expect(stageChanged(mkStage(), missing, { allowMissing: true }).changed).toBe(true);
    expect(stageChanged(mkStage(), missing, { produced }).changed).toBe(true);
    const modified = obs({ outs: [{ path: "a", status: "modified" }] });
    expect(stageChanged(mkStage(), modified, { allowMissing: true }).changed).toBe(true);
  });
});
