// Ground truth from real DVC 3.64: every stage name, resolved cmd, dep/out path and params key that
// DVC wrote into dvc.lock must be reproduced by our resolver.
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../../src/pipeline/load.js";
import { parseLockFile } from "../../../src/pipeline/lockfile.js";
import { collectPipelineOutputs } from "../../../src/pipeline/outputs.js";
import type { Pipeline } from "../../../src/pipeline/types.js";
import { fixtureFiles, memoryReader } from "./memory-reader.js";

function lockParams(p: Pipeline, name: string): Record<string, string[] | null> {
  const stage = p.stages.find((s) => s.name === name);
  const out: Record<string, string[] | null> = {};
  for (const dep of stage?.params ?? []) out[dep.file.slice(stage?.wdir ? stage.wdir.length + 1 : 0)] = dep.keys;
  return out;
}

for (const fixture of ["pipeline", "basic-pipeline"]) {
  describe(`fixture ${fixture}`, () => {
    const files = fixtureFiles(fixture);
    const lock = parseLockFile(files["dvc.lock"] ?? "", "dvc.lock");

    it("generates exactly the stages DVC locked, in order", async () => {
      const p = await loadPipeline(memoryReader(files), "dvc.yaml");
      expect(p.stages.map((s) => s.name)).toEqual([...lock.stages.keys()]);
      if (files["stage-list.txt"]) {
        const listed = files["stage-list.txt"]
          .trim()
          .split("\n")
          .map((l) => l.split(/\s+/)[0]);
        expect(p.stages.map((s) => s.name)).toEqual(listed);
      }
    });

    it("resolves cmd, deps, outs and params exactly as in dvc.lock", async () => {
      const p = await loadPipeline(memoryReader(files), "dvc.yaml");
      for (const stage of p.stages) {
        const entry = lock.stages.get(stage.name);
        expect(entry, stage.name).toBeDefined();
        expect(stage.cmd, stage.name).toEqual(entry?.cmd);
        expect(stage.outs.map((o) => o.decl).sort(), stage.name).toEqual(entry?.outs.map((o) => o.path));
        expect(stage.deps.map((d) => d.decl).sort(), stage.name).toEqual(entry?.deps.map((d) => d.path));
        const lockKeys = Object.fromEntries(Object.entries(entry?.params ?? {}).map(([f, v]) => [f, Object.keys(v)]));
        const ours = lockParams(p, stage.name);
        expect(Object.keys(ours).sort(), stage.name).toEqual(Object.keys(lockKeys).sort());
        for (const [f, keys] of Object.entries(ours)) {
          // a whole-file dependency records the file's top-level keys
          if (keys !== null) expect([...keys].sort(), `${stage.name} ${f}`).toEqual(lockKeys[f]);
        }
      }
    });

    it("matches every pipeline output with its lock item", async () => {
      const res = await collectPipelineOutputs(memoryReader(files), "dvc.yaml");
      expect(res.source).toBe("dvc.yaml");
      expect(res.warnings).toEqual([]);
      const lockOuts = [...lock.stages.values()].reduce((n, e) => n + e.outs.length, 0);
      expect(res.outputs).toHaveLength(lockOuts);
      for (const o of res.outputs) expect(o.lock?.md5, o.out.path).toMatch(/^[0-9a-f]{32}(\.dir)?$/);
    });
  });
}

describe("fixture details", () => {
  it("pipeline: wdir, flags, kinds and whole-file params", async () => {
    const p = await loadPipeline(memoryReader(fixtureFiles("pipeline")), "dvc.yaml");
    const byName = new Map(p.stages.map((s) => [s.name, s]));
    const inWdir = byName.get("in_wdir");
    expect(inWdir?.wdir).toBe("data");
    expect(inWdir?.deps).toEqual([{ path: "data/in.csv", decl: "in.csv" }]);
    expect(inWdir?.outs.map((o) => [o.path, o.persist, o.cache])).toEqual([
      ["data/copy.csv", false, true],
      ["data/d", true, true],
    ]);
    expect(byName.get("whole_file")?.params).toEqual([{ file: "train.json", decl: "train.json", keys: null }]);
    expect(byName.get("whole_file")?.outs[0]).toMatchObject({ path: "whole.json", cache: false, kind: "outs" });
    const m = byName.get("metrics_stage");
    expect(m?.outs.map((o) => [o.path, o.kind, o.cache])).toEqual([
      ["scores.json", "metrics", false],
      ["plot.csv", "plots", false],
    ]);
    expect(m?.alwaysChanged).toBe(false);
    expect(byName.get("list_cmd")?.cmd).toEqual(["echo one > l1.txt", "echo two > l2.txt"]);
    expect(byName.get("grid@adam-0.01")).toMatchObject({ group: "grid", address: "grid@adam-0.01" });
    expect(byName.get("params_kinds")?.params.map((d) => d.file)).toEqual([
      "params.yaml",
      "train.json",
      "cfg.toml",
      "params_py.py",
    ]);
  });

  it("basic: foreach over ${train.models} with flags on plots", async () => {
    const p = await loadPipeline(memoryReader(fixtureFiles("basic-pipeline")), "dvc.yaml");
    const train = p.stages.filter((s) => s.group === "train");
    expect(train.map((s) => [s.name, s.cmd, s.outs[0]?.path])).toEqual([
      ["train@small", "./src/train.sh small 0.02 3", "models/small.txt"],
      ["train@large", "./src/train.sh large 0.02 3", "models/large.txt"],
    ]);
    const evaluate = p.stages.find((s) => s.name === "evaluate");
    expect(evaluate?.outs[1]).toEqual({
      path: "loss.csv",
      decl: "loss.csv",
      cache: false,
      persist: false,
      push: true,
      kind: "plots",
      extra: { x: "step", y: "loss" },
    });
  });

  it("a dvc.yaml in a subdirectory gets prefixed paths and addresses", async () => {
    const p = await loadPipeline(memoryReader(fixtureFiles("pipeline", "sub/")), "sub/dvc.yaml");
    const inWdir = p.stages.find((s) => s.name === "in_wdir");
    expect(inWdir?.address).toBe("sub/dvc.yaml:in_wdir");
    expect(inWdir?.wdir).toBe("sub/data");
    expect(inWdir?.outs[0]?.path).toBe("sub/data/copy.csv");
    expect(p.stages.find((s) => s.name === "whole_file")?.params[0]?.file).toBe("sub/train.json");
    const res = await collectPipelineOutputs(memoryReader(fixtureFiles("pipeline", "sub/")), "sub/dvc.yaml");
    expect(res.lockFile).toBe("sub/dvc.lock");
    expect(res.outputs.find((o) => o.out.path === "sub/data/d")?.lock?.nfiles).toBe(2);
  });
});
