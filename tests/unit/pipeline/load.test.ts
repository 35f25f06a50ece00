import { describe, expect, it } from "vitest";
import type { AppError } from "../../../src/errors.js";
import { loadPipeline } from "../../../src/pipeline/load.js";
import type { Pipeline } from "../../../src/pipeline/types.js";
import { memoryReader } from "./memory-reader.js";

function load(
  files: Record<string, string>,
  path = "dvc.yaml",
  parsing?: { bool?: "boolean_optional"; list?: "append" },
): Promise<Pipeline> {
  return loadPipeline(memoryReader(files), path, parsing ? { parsing } : {});
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected a failure");
}

function cmds(p: Pipeline): Record<string, unknown> {
  return Object.fromEntries(p.stages.map((s) => [s.name, s.cmd]));
}

describe("vars", () => {
  it("uses params.yaml, file refs with keys, inline mappings and nested merges", async () => {
    const p = await load({
      "params.yaml": "a: {x: 1}\n",
      "cfg.json": '{"b": 2, "c": 3, "skip": 4}',
      "more.toml": "[a]\ny = 'why'\n",
      "dvc.yaml":
        "vars:\n  - cfg.json:b,c\n  - more.toml\n  - {d: [5, 6]}\nstages:\n  s:\n    cmd: echo ${a.x} ${a.y} ${b} ${c} ${d[1]}\n",
    });
    expect(cmds(p)).toEqual({ s: "echo 1 why 2 3 6" });
  });

  it("rejects keys defined twice and selected keys that do not exist", async () => {
    const conflict = await failure(load({ "params.yaml": "a: 1\n", "dvc.yaml": "vars:\n  - a: 2\nstages: {}\n" }));
    expect(conflict.code).toBe("PIPELINE_RESOLVE");
    expect(conflict.message).toMatch(/cannot redefine 'a'/);
    const missing = await failure(load({ "p.yaml": "a: 1\n", "dvc.yaml": "vars:\n  - p.yaml:zz\nstages: {}\n" }));
    expect(missing.code).toBe("PIPELINE_RESOLVE");
  });

  it("allows the same whole file twice but not a partial load after a whole one", async () => {
    await expect(
      load({ "params.yaml": "a: 1\n", "dvc.yaml": "vars: [params.yaml, params.yaml]\nstages: {}\n" }),
    ).resolves.toBeDefined();
    const err = await failure(load({ "params.yaml": "a: 1\n", "dvc.yaml": "vars: ['params.yaml:a']\nstages: {}\n" }));
    expect(err.code).toBe("PIPELINE_RESOLVE");
  });

  it("reports a missing vars file, reads Python vars files and refuses interpolated vars", async () => {
    expect((await failure(load({ "dvc.yaml": "vars: [nope.yaml]\nstages: {}\n" }))).code).toBe("PARAMS_FILE");
    const py = await load({
      "p.py": "A = 1\nclass T:\n    lr = 0.5\n",
      "dvc.yaml": "vars: [p.py]\nstages:\n  s:\n    cmd: echo ${A} ${T.lr}\n",
    });
    expect(py.stages[0]?.cmd).toBe("echo 1 0.5");
    expect((await failure(load({ "dvc.yaml": "vars: ['${x}.yaml']\nstages: {}\n" }))).code).toBe("PIPELINE_RESOLVE");
  });

  it("loads stage-level vars relative to the stage wdir and resolves wdir itself", async () => {
    const p = await load({
      "params.yaml": "dir: sub\n",
      "sub/local.yaml": "v: 9\n",
      "dvc.yaml": "stages:\n  s:\n    wdir: ${dir}\n    vars: [local.yaml]\n    cmd: echo ${v}\n    outs: [o.txt]\n",
    });
    expect(p.stages[0]).toMatchObject({ cmd: "echo 9", wdir: "sub", outs: [{ path: "sub/o.txt", decl: "o.txt" }] });
  });

  it("makes foreach's item reserved for stage vars", async () => {
    const err = await failure(
      load({
        "dvc.yaml": "stages:\n  g:\n    foreach: [a]\n    do:\n      vars: [{item: 1}]\n      cmd: echo ${item}\n",
      }),
    );
    expect(err.code).toBe("PIPELINE_RESOLVE");
  });
});

describe("foreach and matrix", () => {
  it("foreach over a mapping sets key and item", async () => {
    const p = await load({
      "params.yaml": "models:\n  us: {lr: 0.1}\n  eu: {lr: 0.2}\n",
      "dvc.yaml":
        "stages:\n  build:\n    foreach: ${models}\n    do:\n      cmd: echo ${item.lr} > ${key}.txt\n      params: ['models.${key}.lr']\n      outs: ['${key}.txt']\n",
    });
    expect(cmds(p)).toEqual({ "build@us": "echo 0.1 > us.txt", "build@eu": "echo 0.2 > eu.txt" });
    expect(p.stages[1]?.params).toEqual([{ file: "params.yaml", decl: "params.yaml", keys: ["models.eu.lr"] }]);
  });

  it("foreach over scalars names by value (booleans as true/false), over composites by index", async () => {
    const p = await load({
      "dvc.yaml": [
        "stages:",
        "  s:",
        "    foreach: [1, true, x, 0.5]",
        "    do: {cmd: 'echo ${item}'}",
        "  c:",
        "    foreach: [{n: a}, {n: [b, c]}]",
        "    do: {cmd: 'echo ${item}'}",
        "",
      ].join("\n"),
    });
    expect(p.stages.map((s) => s.name)).toEqual(["s@1", "s@true", "s@x", "s@0.5", "c@0", "c@1"]);
    expect(p.stages[1]?.cmd).toBe("echo true");
    // a mapping in cmd becomes CLI flags; a list cannot be embedded
    expect(p.stages[4]?.cmd).toBe("echo --n a");
    expect(p.stages[5]?.cmd).toBe("echo --n b c");
    const err = await failure(
      load({ "dvc.yaml": "stages:\n  c:\n    foreach: [[1]]\n    do: {cmd: 'echo ${item}', outs: ['${item}']}\n" }),
    );
    expect(err.code).toBe("PIPELINE_RESOLVE");
  });

  it("matrix is a cartesian product named by fragments; containers use <key><index>", async () => {
    const p = await load({
      "dvc.yaml": [
        "stages:",
        "  m:",
        "    matrix:",
        "      opt: [sgd, adam]",
        "      cfg: [{a: 1}, {a: 2}]",
        "      on: [true]",
        "    cmd: run ${item.opt} ${item.cfg.a} ${item.on} ${key}",
        "",
      ].join("\n"),
    });
    expect(cmds(p)).toEqual({
      "m@sgd-cfg0-true": "run sgd 1 true sgd-cfg0-true",
      "m@sgd-cfg1-true": "run sgd 2 true sgd-cfg1-true",
      "m@adam-cfg0-true": "run adam 1 true adam-cfg0-true",
      "m@adam-cfg1-true": "run adam 2 true adam-cfg1-true",
    });
    expect(p.stages[0]?.group).toBe("m");
  });

  it("matrix values may come from variables", async () => {
    const p = await load({
      "params.yaml": "lrs: [0.1, 0.00001]\n",
      "dvc.yaml": "stages:\n  m:\n    matrix: {lr: '${lrs}'}\n    cmd: t ${item.lr}\n",
    });
    expect(cmds(p)).toEqual({ "m@0.1": "t 0.1", "m@1e-05": "t 1e-05" });
  });

  it("keeps YAML/TOML floats as Python floats in names and commands (JSON 1.0 reads as 1)", async () => {
    const p = await load({
      "params.yaml": "lr: 1.0\nsmall: 1e-5\n",
      "t.toml": "w = 2.0\n",
      "j.json": '{"j": 3.0}',
      "dvc.yaml":
        "vars: [t.toml, j.json]\nstages:\n  m:\n    matrix: {x: [1.0, 2]}\n    cmd: t ${lr} ${small} ${w} ${j} ${item.x}\n    meta: {f: 0.5}\n",
    });
    expect(cmds(p)).toEqual({ "m@1.0": "t 1.0 1e-05 2.0 3 1.0", "m@2": "t 1.0 1e-05 2.0 3 2" });
    expect(p.stages[0]?.meta).toEqual({ f: 0.5 });
  });

  it("rejects foreach over a scalar", async () => {
    const err = await failure(
      load({ "params.yaml": "n: 3\n", "dvc.yaml": "stages:\n  g:\n    foreach: ${n}\n    do: {cmd: x}\n" }),
    );
    expect(err.code).toBe("PIPELINE_RESOLVE");
    expect(err.message).toMatch(/stages\.g/);
  });
});

describe("schema", () => {
  it.each([
    ["stages:\n  train:\n    cmd: x\n    outz: [a]\n", /stage 'train': unknown key 'outz'/],
    ["stages:\n  train:\n    outs: [a]\n", /'cmd' is required/],
    ["stages:\n  train:\n    cmd: x\n    outs: [{a: {cache: false, colour: red}}]\n", /unknown key 'colour'/],
    ["stages:\n  train:\n    cmd: x\n    frozen: 'yes'\n", /invalid value for 'frozen'/],
    ["stages:\n  g:\n    foreach: [a]\n    do: {cmd: x}\n    wdir: d\n", /unknown key 'wdir'/],
    ["stages:\n  g:\n    foreach: [a]\n    do: {cmd: x, bogus: 1}\n", /stage 'g': unknown key 'bogus'/],
    ["stagez: {}\n", /unknown top-level key 'stagez'/],
    ["stages: [a]\n", /must be a mapping/],
    ["stages:\n  a: {cmd: [x\n", /invalid YAML/],
  ])("%j", async (yaml, reason) => {
    const err = await failure(load({ "dvc.yaml": yaml }));
    expect(err.code).toBe("PIPELINE_SCHEMA");
    expect(err.exitCode).toBe(6);
    expect(err.message).toMatch(reason);
  });

  it("a missing dvc.yaml is PATH_NOT_FOUND", async () => {
    expect((await failure(load({}))).code).toBe("PATH_NOT_FOUND");
  });

  it("an empty dvc.yaml has no stages", async () => {
    expect((await load({ "dvc.yaml": "" })).stages).toEqual([]);
  });
});

describe("paths and params", () => {
  it.each([["../escape.txt"], ["/etc/passwd"], ["a/../../b"], ["s3://bucket/x"]])("refuses output %s", async (out) => {
    const err = await failure(load({ "dvc.yaml": `stages:\n  s:\n    cmd: x\n    outs: ['${out}']\n` }));
    // a mistake in dvc.yaml: the pipeline exit code, a hint, the stage and path named
    expect(err.code).toBe("STAGE_PATH_OUTSIDE");
    expect(err.exitCode).toBe(6);
    expect(err.hint).toMatch(/inside the repository/);
    expect(err.details).toMatchObject({ stage: "s", path: out, what: "output" });
  });

  it("refuses a wdir or params file outside the repo", async () => {
    expect((await failure(load({ "dvc.yaml": "stages:\n  s: {cmd: x, wdir: ..}\n" }))).code).toBe("STAGE_PATH_OUTSIDE");
    expect((await failure(load({ "dvc.yaml": "stages:\n  s: {cmd: x, params: [{../p.yaml: [a]}]}\n" }))).code).toBe(
      "STAGE_PATH_OUTSIDE",
    );
  });

  it("keeps absolute, URL and outside deps as external", async () => {
    const p = await load({
      "dvc.yaml":
        "stages:\n  s:\n    wdir: d\n    cmd: x\n    deps: [/data/in.csv, 's3://b/k', ../up.csv, ../../out.csv]\n",
    });
    expect(p.stages[0]?.deps).toEqual([
      { path: "/data/in.csv", decl: "/data/in.csv", external: true },
      { path: "s3://b/k", decl: "s3://b/k", external: true },
      { path: "up.csv", decl: "../up.csv" },
      { path: "../../out.csv", decl: "../../out.csv", external: true },
    ]);
  });

  it("normalises paths and keeps output flags", async () => {
    const p = await load({
      "dvc.yaml":
        "stages:\n  s:\n    cmd: x\n    outs:\n      - ./a//b/\n      - m: {push: false, remote: r2, desc: model, persist: true}\n",
    });
    expect(p.stages[0]?.outs).toEqual([
      { path: "a/b", decl: "./a//b/", cache: true, persist: false, push: true, kind: "outs", extra: {} },
      {
        path: "m",
        decl: "m",
        cache: true,
        persist: true,
        push: false,
        remote: "r2",
        kind: "outs",
        extra: { desc: "model" },
      },
    ]);
  });

  it("merges params forms; a whole-file reference wins over keys", async () => {
    const p = await load({
      "dvc.yaml": [
        "stages:",
        "  s:",
        "    wdir: w",
        "    cmd: x",
        "    params:",
        "      - lr",
        "      - o.json: [a, b]",
        "      - o.json: [b, c]",
        "      - t.toml:",
        "      - t.toml: [z]",
        "      - e.yaml: []",
        "      - seed",
        "",
      ].join("\n"),
    });
    expect(p.stages[0]?.params).toEqual([
      { file: "w/params.yaml", decl: "params.yaml", keys: ["lr", "seed"] },
      { file: "w/o.json", decl: "o.json", keys: ["a", "b", "c"] },
      { file: "w/t.toml", decl: "t.toml", keys: null },
      { file: "w/e.yaml", decl: "e.yaml", keys: null },
    ]);
  });
});

describe("top-level sections and cmd details", () => {
  it("resolves metrics, params, plots and artifacts relative to dvc.yaml", async () => {
    const p = await load(
      {
        "sub/params.yaml": "m: scores.json\n",
        "sub/dvc.yaml": [
          "metrics: ['${m}']",
          "params: [other.yaml]",
          "plots: [{loss.csv: {x: step}}, acc.csv]",
          "artifacts:",
          "  model: {path: models/m.pkl, type: model, labels: [a]}",
          "",
        ].join("\n"),
      },
      "sub/dvc.yaml",
    );
    expect(p.metrics).toEqual(["sub/scores.json"]);
    expect(p.params).toEqual(["sub/other.yaml"]);
    expect(p.plots).toEqual([{ "loss.csv": { x: "step" } }, "acc.csv"]);
    expect(p.artifacts).toEqual({
      model: { path: "sub/models/m.pkl", decl: "models/m.pkl", type: "model", labels: ["a"] },
    });
  });

  it("turns a mapping in cmd into flags, honouring the parsing config", async () => {
    const files = {
      "params.yaml": "train: {lr: 0.001, fast: false, dims: [2, 3], name: big net}\n",
      "dvc.yaml": "stages:\n  s:\n    cmd: ['python t.py ${train}']\n",
    };
    expect((await load(files)).stages[0]?.cmd).toEqual(["python t.py --lr 0.001 --dims 2 3 --name 'big net'"]);
    expect((await load(files, "dvc.yaml", { bool: "boolean_optional", list: "append" })).stages[0]?.cmd).toEqual([
      "python t.py --lr 0.001 --no-fast --dims 2 --dims 3 --name 'big net'",
    ]);
  });

  it("keeps desc, meta, frozen and always_changed", async () => {
    const p = await load({
      "dvc.yaml": "stages:\n  s: {cmd: x, desc: hi, meta: {k: 1}, frozen: true, always_changed: true}\n",
    });
    expect(p.stages[0]).toMatchObject({
      desc: "hi",
      meta: { k: 1 },
      frozen: true,
      alwaysChanged: true,
      address: "s",
      wdir: "",
    });
  });

  it("names the stage key when a variable is missing", async () => {
    const err = await failure(load({ "dvc.yaml": "stages:\n  s:\n    cmd: echo ${nope}\n" }));
    expect(err.code).toBe("PIPELINE_RESOLVE");
    expect(err.details).toMatchObject({ file: "dvc.yaml", where: "stages.s.cmd" });
  });
});
