// stage add / stage list / freeze / unfreeze / dag through the CLI on temp repos, compared with the bytes real
// DVC (ruamel 0.17.21 round trip) writes and prints.
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { WorkspaceReader } from "../../src/git/workspace-reader.js";
import { loadPipeline } from "../../src/pipeline/load.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const FIX = join(import.meta.dirname, "../fixtures/pipeline");

async function fixtureRepo(): Promise<TmpRepo> {
  const r = await makeRepo({
    files: { "src/noop.sh": '#!/bin/sh\ncat "$@" > /dev/null\n', "data/in.csv": "a,b\n1,2\n" },
  });
  for (const f of ["dvc.yaml", "params.yaml", "train.json", "cfg.toml", "params_py.py"]) {
    cpSync(join(FIX, f), join(r.dir, f));
  }
  return r;
}

const TRAIN_ARGS = [
  "stage",
  "add",
  "-n",
  "train",
  "-d",
  "data/in.csv",
  "-p",
  "lr,opt",
  "-p",
  "train.json:seed",
  "-p",
  "cfg.toml:",
  "-o",
  "model",
  "-M",
  "metrics.json",
  "--plots-no-cache",
  "loss.csv",
  "-O",
  "log.txt",
  "--desc",
  "Train it",
  "python3",
  "train.py",
  "--lr",
  "0.1",
  "-o",
  "x",
];
const TRAIN_YAML = [
  "  train:",
  "    desc: Train it",
  "    cmd: python3 train.py --lr 0.1 -o x",
  "    deps:",
  "    - data/in.csv",
  "    params:",
  "    - lr",
  "    - opt",
  "    - cfg.toml:",
  "    - train.json:",
  "      - seed",
  "    outs:",
  "    - log.txt:",
  "        cache: false",
  "    - model",
  "    metrics:",
  "    - metrics.json:",
  "        cache: false",
  "    plots:",
  "    - loss.csv:",
  "        cache: false",
  "",
].join("\n");

describe("stage add", () => {
  test("a new dvc.yaml, the §8.4 layout; outputs in .gitignore", async () => {
    const r = await makeRepo();
    const res = await r.run(...TRAIN_ARGS);
    expect(res.code).toBe(0);
    expect(r.read("dvc.yaml")).toBe("stages:\n" + TRAIN_YAML);
    expect(r.read(".gitignore")).toBe("/model\n"); // -M: not cached, not ignored
  });

  test("appended to files with comments exactly where DVC (ruamel) puts it", async () => {
    const withComments = [
      "# Pipeline of the project",
      "vars:",
      "- base: results  # where results go",
      "stages:",
      "  # first stage",
      "  prepare:",
      "    cmd: python3 prepare.py  # inline",
      "    deps:",
      "    - data.csv",
      "    outs:",
      "    - prepared",
      "",
    ].join("\n");
    const trailing =
      "stages:\n  prepare:\n    cmd: python3 prepare.py\n    outs:\n    - prepared\n# trailing comment\n";
    const noStages = "vars:\n- a: 1\n";
    for (const [before, after] of [
      [withComments, withComments + TRAIN_YAML],
      [trailing, trailing + TRAIN_YAML],
      [noStages, noStages + "stages:\n" + TRAIN_YAML],
    ]) {
      const r = await makeRepo({ files: { "dvc.yaml": before! } });
      expect((await r.run(...TRAIN_ARGS)).code).toBe(0);
      expect(r.read("dvc.yaml")).toBe(after);
    }
  });

  test("an existing name needs -f; -f rewrites it in place and keeps its desc and meta", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  a:\n    desc: keep me\n    cmd: echo 1\n    meta: {owner: x}\n  b:\n    cmd: echo b\n",
      },
    });
    const again = await r.run("stage", "add", "-n", "a", "--json", "echo", "2");
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr).error.code).toBe("STAGE_EXISTS");
    expect((await r.run("stage", "add", "-n", "a", "-f", "-o", "out", "echo 2")).code).toBe(0);
    expect(r.read("dvc.yaml")).toBe(
      "stages:\n  a:\n    desc: keep me\n    cmd: echo 2\n    meta: {owner: x}\n    outs:\n    - out\n  b:\n    cmd: echo b\n",
    );
  });

  test("refused, nothing written: bad name, output conflict, cycle, escaping path, generated stage", async () => {
    const r = await fixtureRepo();
    const before = r.read("dvc.yaml");
    const cases: Array<[string[], number, string]> = [
      [["-n", "a.b", "echo"], 2, "USAGE"],
      [["-n", "x", "-o", "l1.txt", "echo"], 6, "OUTPUT_DUPLICATE"],
      [["-n", "x", "-o", "results/size_8.txt/y", "echo"], 6, "OUTPUT_OVERLAP"],
      [["-n", "x", "-d", "scores.json", "-o", "data/in.csv", "echo"], 6, "PIPELINE_CYCLE"],
      [["-n", "x", "-o", "../outside", "echo"], 1, "BAD_TARGET"],
      [["-n", "x", "-d", "a", "-o", "a", "echo"], 2, "USAGE"],
      [["-n", "sizes", "-f", "-o", "z", "echo"], 6, "STAGE_PARAMETRIZED"],
    ];
    for (const [args, code, err] of cases) {
      const res = await r.run("stage", "add", "--json", ...args);
      expect([args, res.code, JSON.parse(res.stderr).error.code]).toEqual([args, code, err]);
    }
    expect(r.read("dvc.yaml")).toBe(before);
    expect(existsSync(join(r.dir, ".gitignore"))).toBe(false);
  });

  test("-w and -p forms round-trip through dvx's loader to the same stage", async () => {
    const r = await makeRepo({ files: { "sub/work/in.txt": "x\n" } });
    const args = ["stage", "add", "-n", "s", "-w", "work", "-d", "in.txt", "-p", "p.json:a,b", "-p", "all.yaml:"];
    const res = await runIn(r, "sub", [...args, "--outs-persist", "o", "cat in.txt > o"]);
    expect(res.code).toBe(0);
    expect(r.read("sub/dvc.yaml")).toBe(
      "stages:\n  s:\n    cmd: cat in.txt > o\n    wdir: work\n    deps:\n    - in.txt\n    params:\n" +
        "    - all.yaml:\n    - p.json:\n      - a\n      - b\n    outs:\n    - o:\n        persist: true\n",
    );
    const p = await loadPipeline(new WorkspaceReader(r.dir), "sub/dvc.yaml");
    expect(p.stages[0]).toMatchObject({
      name: "s",
      address: "sub/dvc.yaml:s",
      wdir: "sub/work",
      deps: [{ path: "sub/work/in.txt", decl: "in.txt" }],
      params: [
        { file: "sub/work/all.yaml", decl: "all.yaml", keys: null },
        { file: "sub/work/p.json", decl: "p.json", keys: ["a", "b"] },
      ],
      outs: [{ path: "sub/work/o", decl: "o", persist: true, cache: true }],
    });
  });
});

async function runIn(r: TmpRepo, dir: string, argv: string[]) {
  const { runCli } = await import("../helpers/run-cli.js");
  return runCli(join(r.dir, dir), argv);
}

describe("stage list", () => {
  test("DVC's table for the fixture pipeline, byte for byte; --name-only; --json", async () => {
    const r = await fixtureRepo();
    const res = await r.run("stage", "list");
    expect(res.stdout).toBe(readFileSync(join(FIX, "stage-list.txt"), "utf8"));
    expect((await r.run("stage", "list", "--name-only", "grid")).stdout).toBe(
      "grid@sgd-0.1\ngrid@sgd-0.01\ngrid@adam-0.1\ngrid@adam-0.01\n",
    );
    const json = (await r.run("stage", "list", "--json", "metrics_stage")).json<Array<Record<string, unknown>>>();
    expect(json).toEqual([
      expect.objectContaining({ name: "metrics_stage", reports: ["scores.json", "plot.csv"], outs: [] }),
    ]);
  });

  test("descriptions: first non-empty line, cut at 80 characters with …; depends-on; --all with .dvc files", async () => {
    const long = "x".repeat(100);
    const r = await makeRepo({
      files: {
        "dvc.yaml": `stages:\n  a:\n    desc: "\\n  first line  \\nsecond"\n    cmd: c\n  b:\n    desc: ${long}\n    cmd: c\n  c:\n    cmd: c\n    deps: [x]\n  d:\n    cmd: c\n`,
        "x.dvc": "outs:\n- md5: d41d8cd98f00b204e9800998ecf8427e\n  size: 0\n  hash: md5\n  path: x\n",
      },
    });
    // .dvc files and dvc.yaml files come in the order the filesystem lists them
    const lines = (await r.run("stage", "list", "--all")).stdout.split("\n");
    expect(lines.sort()).toEqual(
      [
        "",
        "x.dvc  Outputs x",
        "a      first line",
        `b      ${"x".repeat(79)}…`,
        "c      Depends on x",
        "d      No outputs or dependencies",
      ].sort(),
    );
  });
});

describe("freeze / unfreeze", () => {
  test("frozen: true appended to the stage, removed again; generated stages refused", async () => {
    const r = await fixtureRepo();
    const before = r.read("dvc.yaml");
    expect((await r.run("freeze", "in_wdir")).code).toBe(0);
    expect(r.read("dvc.yaml")).toBe(
      before.replace("          persist: true\n", "          persist: true\n    frozen: true\n"),
    );
    const gen = await r.run("freeze", "--json", "sizes@8");
    expect([gen.code, JSON.parse(gen.stderr).error.code]).toEqual([6, "STAGE_PARAMETRIZED"]);
    expect((await r.run("unfreeze", "in_wdir")).code).toBe(0);
    expect(r.read("dvc.yaml")).toBe(before);
  });

  test("repro runs neither a frozen stage nor what it needs", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n  b:\n    cmd: cat a.txt > b.txt\n    deps: [a.txt]\n" +
          "    outs: [b.txt]\n  c:\n    cmd: cat b.txt > c.txt\n    deps: [b.txt]\n    outs: [c.txt]\n",
      },
    });
    expect((await r.run("repro")).code).toBe(0);
    r.write({ "a.txt": "changed\n" });
    expect((await r.run("freeze", "b")).code).toBe(0);
    expect((await r.run("repro", "c")).code).toBe(0);
    expect(r.read("b.txt")).toBe("a\n");
    expect((await r.run("unfreeze", "b")).code).toBe(0);
    expect((await r.run("repro", "c")).code).toBe(0);
    expect(r.read("c.txt")).toBe("a\n"); // a re-ran (its output changed), then b and c
  });
});

describe("dag", () => {
  test("the fixture pipeline: ASCII and --md byte-identical to DVC's; --output writes the same bytes", async () => {
    const r = await fixtureRepo();
    expect((await r.run("dag")).stdout).toBe(readFileSync(join(FIX, "dag.txt"), "utf8"));
    const md = (await r.run("dag", "--md")).stdout;
    expect(md).toBe(readFileSync(join(FIX, "dag.md"), "utf8"));
    expect((await r.run("dag", "--md", "--output", "g.md")).stdout).toBe("");
    expect(r.read("g.md")).toBe(md);
  });

  test("a target shows it and its upstream; --full its whole pipeline; --outs the output graph", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  a:\n    cmd: c\n    outs: [a.txt]\n  b:\n    cmd: c\n    deps: [a.txt]\n    outs: [b.txt]\n" +
          "  c:\n    cmd: c\n    deps: [b.txt]\n    outs: [c.txt, c2.txt]\n  other:\n    cmd: c\n",
      },
    });
    const nodes = async (...args: string[]) =>
      (await r.run("dag", "--json", ...args)).json<{ nodes: string[] }>().nodes;
    expect(await nodes()).toEqual(["a", "b", "c", "other"]);
    expect(await nodes("b")).toEqual(["a", "b"]);
    expect(await nodes("b", "--full")).toEqual(["a", "b", "c"]);
    expect((await r.run("dag", "--json", "--outs", "c")).json()).toEqual({
      nodes: ["a.txt", "b.txt", "c.txt", "c2.txt"],
      edges: [
        { from: "a.txt", to: "b.txt" },
        { from: "b.txt", to: "c.txt" },
        { from: "b.txt", to: "c2.txt" },
      ],
    });
    expect((await r.run("dag", "--dot", "b")).stdout).toBe('strict digraph  {\n"a";\n"b";\n"a" -> "b";\n}\n\n');
    expect((await r.run("dag", "--mermaid", "b")).stdout).toBe(
      'flowchart TD\n\tnode1["a"]\n\tnode2["b"]\n\tnode1-->node2\n',
    );
  });
});
