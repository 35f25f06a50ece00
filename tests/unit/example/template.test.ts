// The example project's definition (templates/example): dvc.yaml as dvx loads it, the params each script reads,
// what a param change re-runs, and the scripts' own params.yaml reader against dvx's YAML parser.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { WorkspaceReader } from "../../../src/git/workspace-reader.js";
import { loadPipeline } from "../../../src/pipeline/load.js";
import { parseParamsFile } from "../../../src/pipeline/params-file.js";
import type { Pipeline, Stage } from "../../../src/pipeline/types.js";
import { parseYaml } from "../../../src/util/yaml.js";
import { STAGES, TEMPLATE } from "../../helpers/example-template.js";

const load = (): Promise<Pipeline> => loadPipeline(new WorkspaceReader(TEMPLATE), "dvc.yaml");
const script = (name: string): string => readFileSync(join(TEMPLATE, "src", name), "utf8");

/** Local modules a script imports, transitively ("./common.mjs" → "src/common.mjs"). */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  for (const m of script(file).matchAll(/from "\.\/([\w-]+\.mjs)"/g)) {
    if (!seen.has(`src/${m[1]}`)) {
      seen.add(`src/${m[1]}`);
      localImports(m[1]!, seen);
    }
  }
  return seen;
}

/** The params.yaml keys a script reads (`numberParam(params, "train.lr", …)` and the like). */
const keysRead = (file: string): string[] =>
  [...script(file).matchAll(/[pP]aram\([\w()]+, "([\w.]+)"/g)].map((m) => m[1]!).sort();

/** Stages that re-run when `key` changes: those declaring it, then everything downstream of them. */
function affectedBy(stages: Stage[], key: string): string[] {
  const hit = new Set(stages.filter((s) => s.params.some((p) => p.keys?.includes(key))).map((s) => s.name));
  for (const s of stages) {
    const upstream = stages.filter((u) => u.outs.some((o) => s.deps.some((d) => d.path === o.path)));
    if (upstream.some((u) => hit.has(u.name))) hit.add(s.name);
  }
  return [...hit];
}

describe("example dvc.yaml", () => {
  it("has the four stages in order, each running its script with every module it imports as a dep", async () => {
    const { stages } = await load();
    expect(stages.map((s) => s.name)).toEqual([...STAGES]);
    for (const s of stages) {
      expect(s.cmd).toBe(`node src/${s.name}.mjs`);
      expect(s.wdir).toBe("");
      const deps = s.deps.map((d) => d.path);
      for (const need of [`src/${s.name}.mjs`, ...localImports(`${s.name}.mjs`)]) expect(deps).toContain(need);
    }
    const scripts = readdirSync(join(TEMPLATE, "src")).sort();
    expect(scripts).toEqual(["common.mjs", ...STAGES.map((s) => `${s}.mjs`)].sort());
  });

  it("declares exactly the params each script reads", async () => {
    const { stages } = await load();
    for (const s of stages) {
      const declared = s.params.flatMap((p) => (p.file === "params.yaml" ? (p.keys ?? []) : [])).sort();
      expect(declared, s.name).toEqual(keysRead(`${s.name}.mjs`));
    }
  });

  it("re-runs only train and evaluate for train.*, everything after split for split.*", async () => {
    const { stages } = await load();
    expect(affectedBy(stages, "train.lr")).toEqual(["train", "evaluate"]);
    expect(affectedBy(stages, "train.epochs")).toEqual(["train", "evaluate"]);
    expect(affectedBy(stages, "split.seed")).toEqual(["split", "train", "evaluate"]);
    expect(affectedBy(stages, "download.url")).toEqual([...STAGES]);
  });

  it("declares outs, metrics and plots as DVC's templates expect", async () => {
    const { stages } = await load();
    const outs = Object.fromEntries(stages.flatMap((s) => s.outs.map((o) => [o.path, { stage: s.name, ...o }])));
    const all = ["data/raw", "data/test.csv", "data/train.csv", "metrics.json", "model.json", "plots/confusion.csv"];
    expect(Object.keys(outs).sort()).toEqual([...all, "plots/loss.csv"]);
    for (const p of ["data/raw", "data/test.csv", "data/train.csv", "model.json"]) {
      expect(outs[p]).toMatchObject({ kind: "outs", cache: true });
    }
    expect(outs["metrics.json"]).toMatchObject({ stage: "evaluate", kind: "metrics", cache: false });
    expect(outs["plots/loss.csv"]).toMatchObject({
      stage: "train",
      kind: "plots",
      cache: false,
      extra: { template: "linear", x: "epoch", y: "loss" },
    });
    expect(outs["plots/confusion.csv"]).toMatchObject({
      stage: "evaluate",
      kind: "plots",
      cache: false,
      extra: { template: "confusion", x: "actual", y: "predicted" },
    });
  });
});

describe("the scripts' params.yaml reader (Node built-ins only)", async () => {
  const common = (await import(pathToFileURL(join(TEMPLATE, "src/common.mjs")).href)) as {
    parseParams: (text: string, file?: string) => unknown;
  };

  it("reads the shipped params.yaml exactly as dvx's YAML parser does", () => {
    const text = readFileSync(join(TEMPLATE, "params.yaml"), "utf8");
    expect(common.parseParams(text)).toEqual(parseParamsFile(text, "params.yaml"));
  });

  it("agrees with a real YAML parser on the scalars and nesting it supports", () => {
    const text = [
      "# comment",
      "a:",
      "  b: 1 # trailing",
      "  c:",
      "    d: 'it''s # not a comment'",
      '    e: "tab\\there"',
      "  f: http://h/x#frag",
      "g: -0.5e-3",
      "h: .5",
      "i: true",
      "j: ~",
      "k:",
      "l: file:dataset/penguins.csv",
      "m: 0x1F",
      "n: -.inf",
      "'o p': plain text here",
    ].join("\n");
    expect(common.parseParams(text)).toEqual(parseYaml(text, "t.yaml"));
  });

  it("refuses what it does not handle instead of misreading it", () => {
    for (const text of ["a: [1, 2]", "a:\n  - 1", "a: {b: 1}", "a: 1\n  b: 2", "a: 1\na: 2", "a: &x 1"]) {
      expect(() => common.parseParams(text), text).toThrow(/params\.yaml:\d+: /);
    }
  });
});
