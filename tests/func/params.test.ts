// params diff/show on real temp git repos: the pipeline fixture made by real DVC 3.64 (params of every kind in
// YAML, JSON, TOML and Python files, keys and whole files), --targets, --deps, --all, --no-path, params show.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const FIX = resolve(__dirname, "../fixtures/pipeline");
const fixture = (f: string): string => readFileSync(join(FIX, f), "utf8");

async function pipelineRepo(): Promise<TmpRepo> {
  const files = Object.fromEntries(
    ["dvc.yaml", "params.yaml", "train.json", "cfg.toml", "params_py.py"].map((f) => [f, fixture(f)]),
  );
  const r = await makeRepo({ files });
  r.commit("pipeline");
  r.write({ "params.yaml": fixture("params.yaml").replace("other: 7", "other: 8") });
  return r;
}

/** Table rows as cell lists, whitespace-insensitive (for comparing as a set, DVC's file order being random). */
const cells = (md: string): string[][] =>
  md
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith("|--"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );

describe("dvx params diff", () => {
  it("the pipeline fixture: JSON and --md exactly as DVC printed them", async () => {
    const r = await pipelineRepo();
    const json = await r.run("params", "diff", "--json");
    expect(json.code).toBe(0);
    expect(json.json()).toEqual(JSON.parse(fixture("params-diff.json")));
    expect((await r.run("params", "diff", "--md")).stdout).toBe(fixture("params-diff.md"));
  });

  it("--all: every tracked param of every file (keys or whole files), the same rows as DVC", async () => {
    const r = await pipelineRepo();
    const res = await r.run("params", "diff", "--all", "--md");
    expect(res.code).toBe(0);
    const got = cells(res.stdout);
    const want = cells(fixture("params-diff-all.md"));
    expect(got[0]).toEqual(want[0]);
    expect(res.stderr).toBe("");
    expect(got.slice(1).sort()).toEqual(want.slice(1).sort());
    // declared order: stage by stage as dvc.yaml lists them (params.yaml, train.json, cfg.toml ...)
    expect([...new Set(got.slice(1).map((row) => row[0]))].slice(0, 3)).toEqual([
      "params.yaml",
      "train.json",
      "cfg.toml",
    ]);
  });

  it("--all --json: lists as Python str(), booleans with a 0 change, null for None", async () => {
    const r = await pipelineRepo();
    const json = (await r.run("params", "diff", "--all", "--json")).json<Record<string, Record<string, unknown>>>();
    expect(json["params.yaml"]!.list).toEqual({ old: "[1, 2.5, 'three']", new: "[1, 2.5, 'three']" });
    expect(json["params.yaml"]!.flag).toEqual({ old: true, new: true, diff: 0 });
    expect(json["params.yaml"]!.nothing).toEqual({ old: null, new: null });
    expect(json["params.yaml"]!.float_whole).toEqual({ old: 3, new: 3, diff: 0 });
    expect(json["train.json"]!.layers).toEqual({ old: "[64, 32]", new: "[64, 32]" });
  });

  it("a removed param has new: null; --targets compares whole files; --deps leaves out untracked keys", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  s:\n    cmd: echo\n    params:\n      - lr\n      - cfg.json:\n          - a\n",
        "params.yaml": "lr: 0.1\nseed: 1\nold: x\n",
        "cfg.json": '{"a": 1, "b": 2}',
      },
    });
    r.commit("v1");
    r.write({ "params.yaml": "lr: 0.2\nseed: 2\n", "cfg.json": '{"a": 1.0, "b": 3}' });
    const all = (await r.run("params", "diff", "--json")).json();
    // params.yaml at the root is read whole; cfg.json only for the tracked key (a: 1 == 1.0, unchanged)
    expect(all).toEqual({
      "params.yaml": {
        lr: { old: 0.1, new: 0.2, diff: 0.2 - 0.1 },
        old: { old: "x", new: null },
        seed: { old: 1, new: 2, diff: 1 },
      },
    });
    expect((await r.run("params", "diff", "--json", "--deps")).json()).toEqual({
      "params.yaml": { lr: { old: 0.1, new: 0.2, diff: 0.2 - 0.1 } },
    });
    expect((await r.run("params", "diff", "--json", "--targets", "cfg.json")).json()).toEqual({
      "cfg.json": { b: { old: 2, new: 3, diff: 1 } },
    });
    const plain = await r.run("params", "diff", "--no-path", "--targets", "cfg.json", "--all");
    expect(plain.stdout).toBe(
      ["Param    HEAD    workspace", "a        1       1.0", "b        2       3", ""].join("\n"),
    );
    // nothing changed: params diff prints nothing at all, even with --md (DVC's `elif diff:`)
    expect((await r.run("params", "diff", "HEAD", "HEAD", "--md")).stdout).toBe("");
  });
});

describe("dvx params show", () => {
  it("shows tracked params in metrics show's shapes", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  s:\n    cmd: echo\n    params:\n      - cfg.json:\n          - a\n",
        "params.yaml": "lr: 0.1\nlayers: [8, 4]\nnone:\n",
        "cfg.json": '{"a": 1.0, "b": 2}',
      },
    });
    r.commit("v1");
    const json = (await r.run("params", "show", "--json")).json();
    expect(json).toEqual({
      "": {
        data: { "cfg.json": { data: { a: 1 } }, "params.yaml": { data: { lr: 0.1, layers: "[8, 4]", none: null } } },
      },
    });
    const md = await r.run("params", "show", "--md");
    expect(md.stdout).toBe(
      [
        "| Path        | a   | layers   | lr   | none   |",
        "|-------------|-----|----------|------|--------|",
        "| cfg.json    | 1.0 | -        | -    | -      |",
        "| params.yaml | -   | [8, 4]   | 0.1  | None   |",
        "",
        "",
      ].join("\n"),
    );
    r.write({ "params.yaml": "lr: 0.3\n" });
    const branches = await r.run("params", "show", "-a", "--json", "params.yaml");
    expect(Object.keys(branches.json() as object)).toEqual(["workspace", "main"]);
  });
});
