// The stage DVC writes for `dvc stage add` (docs/formats.md §8.4), from CLI-shaped input and from a loaded stage.
import { describe, expect, test } from "vitest";
import { buildStage } from "../../../src/pipeline/stage-build.js";
import {
  invalidNameChars,
  joinCommand,
  parseParamsArgs,
  specOfStage,
  stageDefinition,
  type OutSpec,
} from "../../../src/pipeline/stage-write.js";
import { dumpYaml } from "../../../src/util/yaml-dump.js";

const out = (path: string, kind: OutSpec["kind"], cache = true, persist = false): OutSpec => ({
  path,
  kind,
  cache,
  persist,
  push: true,
  extra: {},
});

describe("stageDefinition", () => {
  test("the §8.4 example, byte for byte", () => {
    const def = stageDefinition({
      cmd: "python3 train.py",
      wdir: "",
      desc: "Train it",
      deps: ["train.py", "data.csv"],
      params: parseParamsArgs(["train.epochs,lr", "other.json:seed"]),
      outs: [
        out("plot.csv", "plots", false),
        out("metrics.json", "metrics", false),
        out("log.txt", "outs", false),
        out("model", "outs"),
      ],
      frozen: false,
      alwaysChanged: false,
    });
    expect(dumpYaml({ stages: { train: def } })).toBe(
      [
        "stages:",
        "  train:",
        "    desc: Train it",
        "    cmd: python3 train.py",
        "    deps:",
        "    - data.csv",
        "    - train.py",
        "    params:",
        "    - lr",
        "    - train.epochs",
        "    - other.json:",
        "      - seed",
        "    outs:",
        "    - log.txt:",
        "        cache: false",
        "    - model",
        "    metrics:",
        "    - metrics.json:",
        "        cache: false",
        "    plots:",
        "    - plot.csv:",
        "        cache: false",
        "",
      ].join("\n"),
    );
  });

  test("key order, wdir, persist flags, whole-file params sorted among files, always_changed", () => {
    const def = stageDefinition({
      cmd: ["a", "b"],
      wdir: "sub",
      deps: [],
      params: parseParamsArgs(["z.yaml:", "b", "a.json:k2,k1", "params.yaml:c", ":d"]),
      outs: [out("p", "outs", true, true), out("q", "outs", false, true)],
      frozen: true,
      alwaysChanged: true,
      meta: { owner: "x" },
    });
    expect(Object.keys(def)).toEqual(["cmd", "wdir", "params", "outs", "frozen", "always_changed", "meta"]);
    expect(def.params).toEqual(["b", "c", "d", { "a.json": ["k1", "k2"] }, { "z.yaml": null }]);
    expect(def.outs).toEqual([{ p: { persist: true } }, { q: { cache: false, persist: true } }]);
  });

  test("a loaded stage serialises back to its canonical definition (annotations, plot props, push, remote)", () => {
    const def = {
      desc: "d",
      cmd: "run",
      wdir: "w",
      deps: ["b", "a"],
      params: ["lr", { "p.json": null }],
      outs: [{ m: { desc: "model", cache: false, remote: "r", push: false } }],
      plots: [{ "pl.csv": { x: "step", y: "loss" } }],
      always_changed: true,
    };
    const stage = buildStage({ name: "s", file: "sub/dvc.yaml", wdir: "sub/w", def });
    expect(stageDefinition(specOfStage(stage))).toEqual({
      desc: "d",
      cmd: "run",
      wdir: "w",
      deps: ["a", "b"],
      params: ["lr", { "p.json": null }],
      outs: [{ m: { desc: "model", cache: false, remote: "r", push: false } }],
      plots: [{ "pl.csv": { x: "step", y: "loss" } }],
      always_changed: true,
    });
  });
});

describe("CLI argument forms", () => {
  test("parse_params: defaults, whole files, merging per file", () => {
    expect(parseParamsArgs(["a,b", "f.json:", "f.json:x", "g.toml:y,z"])).toEqual([
      { file: "params.yaml", keys: ["a", "b"] },
      { file: "f.json", keys: ["x"] },
      { file: "g.toml", keys: ["y", "z"] },
    ]);
    expect(parseParamsArgs(["dir/p.yaml:"])).toEqual([{ file: "dir/p.yaml", keys: null }]);
  });

  test("parse_cmd: quoting of arguments with spaces", () => {
    expect(joinCommand(["python train.py --x 1"])).toBe("python train.py --x 1");
    expect(joinCommand(["echo", "a b", "", 'say "hi" now'])).toBe('echo "a b" "" say "hi" now');
  });

  test("stage names: punctuation other than _ and - is refused", () => {
    expect(invalidNameChars("train-1_a b")).toEqual([]);
    expect(invalidNameChars("a@b.c")).toEqual(["@", "."]);
  });
});
