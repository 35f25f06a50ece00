// Which plots a revision defines (DVC's _collect_definitions) and how ids are grouped across dvc.yaml files.
import { describe, expect, it } from "vitest";
import {
  collectDefinitions,
  dataSources,
  groupById,
  matchesTargets,
  type TreeLookup,
} from "../../../src/plots/definitions.js";
import type { Definitions, PipelinePlots } from "../../../src/plots/types.js";

/** A tree of files (repo-relative paths). */
function tree(files: string[]): TreeLookup {
  const under = (p: string): string[] => files.filter((f) => f.startsWith(`${p}/`)).sort();
  return {
    dirFiles: async (p) => (files.includes(p) || under(p).length === 0 ? null : under(p)),
    exists: async (p) => files.includes(p) || under(p).length > 0,
  };
}

const plain = (defs: Definitions): Record<string, Record<string, unknown>> =>
  Object.fromEntries([...defs].map(([c, plots]) => [c, Object.fromEntries(plots)]));

const root: PipelinePlots = {
  file: "dvc.yaml",
  top: [
    "eval/loss.csv",
    { "eval/plots": { x: "step" } },
    { Accuracy: { x: "epoch", y: { "eval/acc.csv": ["acc", "val_acc"] }, title: "Accuracy" } },
  ],
  outputs: [{ path: "out/roc.json", props: { x: "fpr", y: "tpr", template: "simple" } }],
};
const files = ["eval/loss.csv", "eval/acc.csv", "eval/plots/a.csv", "eval/plots/img/b.png", "out/roc.json"];

describe("collectDefinitions", () => {
  it("top-level plots by config file, then stage plot outputs under '', directories expanded", async () => {
    const defs = await collectDefinitions({ pipelines: [root], targets: [], props: {} }, tree(files));
    expect(plain(defs)).toEqual({
      "dvc.yaml": {
        "eval/loss.csv": {},
        "eval/plots/a.csv": { x: "step" },
        "eval/plots/img/b.png": { x: "step" },
        Accuracy: { x: "epoch", y: { "eval/acc.csv": ["acc", "val_acc"] }, title: "Accuracy" },
      },
      "": { "out/roc.json": { x: "fpr", y: "tpr", template: "simple" } },
    });
  });

  it("paths in a dvc.yaml below the root are relative to its folder (ids and per-file x/y)", async () => {
    const sub: PipelinePlots = {
      file: "sub/dvc.yaml",
      top: ["loss.csv", { Acc: { x: { "a.csv": "step" }, y: { "../b.csv": "acc" } } }],
      outputs: [],
    };
    const defs = await collectDefinitions({ pipelines: [sub], targets: [], props: {} }, tree(["sub/loss.csv"]));
    expect(plain(defs)).toEqual({
      "sub/dvc.yaml": { "sub/loss.csv": {}, Acc: { x: { "sub/a.csv": "step" }, y: { "b.csv": "acc" } } },
    });
  });

  it("command-line props override the definitions'", async () => {
    const defs = await collectDefinitions(
      { pipelines: [root], targets: [], props: { template: "scatter" } },
      tree(files),
    );
    expect(defs.get("")?.get("out/roc.json")).toMatchObject({ template: "scatter", x: "fpr" });
    expect(defs.get("dvc.yaml")?.get("Accuracy")).toMatchObject({ template: "scatter" });
  });

  it("targets select by regex prefix on the id or on config::id, and add undeclared files", async () => {
    const select = async (targets: string[]): Promise<Record<string, Record<string, unknown>>> =>
      plain(await collectDefinitions({ pipelines: [root], targets, props: {} }, tree([...files, "other.csv"])));
    expect(await select(["Acc"])).toEqual({ "dvc.yaml": { Accuracy: expect.any(Object) } });
    expect(await select(["dvc.yaml::eval/loss"])).toEqual({ "dvc.yaml": { "eval/loss.csv": {} } });
    expect(await select(["other.csv"])).toEqual({ "dvc.yaml": {}, "": { "other.csv": {} } });
    expect(await select(["out/.*"])).toEqual({ "dvc.yaml": {}, "": { "out/roc.json": expect.any(Object) } });
  });

  it("a target without any definition is taken as a file even when it is missing", async () => {
    const defs = await collectDefinitions({ pipelines: [], targets: ["nope.csv"], props: {} }, tree([]));
    expect(plain(defs)).toEqual({ "": { "nope.csv": {} } });
  });
});

describe("ids and data sources", () => {
  it("matchesTargets: no targets match all; an invalid regex is a plain prefix", () => {
    expect(matchesTargets([], "dvc.yaml", "x")).toBe(true);
    expect(matchesTargets(["l.ss"], "dvc.yaml", "loss.csv")).toBe(true);
    expect(matchesTargets(["oss"], "dvc.yaml", "loss.csv")).toBe(false);
    expect(matchesTargets(["a[("], "", "a[(b")).toBe(true);
  });

  it("dataSources: y's files (plus x's first file), else the id itself", () => {
    expect(dataSources("loss.csv", { y: "loss" })).toEqual(["loss.csv"]);
    expect(dataSources("P", { x: { "x.csv": "s" }, y: { "a.csv": "l", "b.csv": ["m"] } })).toEqual([
      "a.csv",
      "b.csv",
      "x.csv",
    ]);
  });

  it("groupById keeps bare ids unless two config files define the same one", () => {
    const defs: Definitions = new Map([
      [
        "dvc.yaml",
        new Map([
          ["Loss", {}],
          ["a.csv", {}],
        ]),
      ],
      ["sub/dvc.yaml", new Map([["Loss", { title: "sub" }]])],
    ]);
    expect([...groupById(defs).keys()]).toEqual(["dvc.yaml::Loss", "sub/dvc.yaml::Loss", "a.csv"]);
    expect(groupById(defs).get("sub/dvc.yaml::Loss")).toEqual({
      config: "sub/dvc.yaml",
      innerId: "Loss",
      props: { title: "sub" },
    });
  });
});
