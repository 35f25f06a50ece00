// `dvx repro` on a pipeline that is wrong (issue 9, "Bad input and faults"): each mistake gives a clear error
// with a hint and exit code 6, and nothing runs (the marker file every command would create stays absent) and
// nothing is written (dvc.lock, .gitignore, the cache and every other file stay as they were).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonError } from "../helpers/cli-assert.js";
import { snapshot } from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

/** A repo whose first stage ran once (so there is a dvc.lock, a .gitignore and a cache object to keep). */
async function repoWithHistory(): Promise<TmpRepo> {
  const r = await makeRepo({
    files: {
      "in.txt": "in\n",
      "dvc.yaml": "stages:\n  first:\n    cmd: cp in.txt first.txt\n    deps: [in.txt]\n    outs: [first.txt]\n",
    },
  });
  const res = await r.run("repro");
  expect(res.code, res.stderr).toBe(0);
  expect(existsSync(join(r.dir, "dvc.lock"))).toBe(true);
  return r;
}

/** Replaces dvc.yaml with `yaml` (and writes `files`), runs repro, and checks the run changed nothing. */
async function refused(
  yaml: string,
  files: Record<string, string> = {},
  args: string[] = [],
): Promise<{ code: string; message: string; hint: string | null; details: Record<string, unknown> }> {
  const r = await repoWithHistory();
  r.write({ "dvc.yaml": yaml, ...files });
  const before = snapshot(r.dir);
  const res = await r.run("repro", "--json", ...args);
  expect(res.code, res.stderr).toBe(6);
  const err = jsonError(res);
  expect(err.hint, err.message).toBeTruthy();
  expect(existsSync(join(r.dir, "marker")), "a stage command ran").toBe(false);
  expect(snapshot(r.dir)).toEqual(before);
  expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock"))).toBe(false);
  // the same without --json: the message and its hint on stderr, nothing on stdout
  const human = await r.run("repro", ...args);
  expect(human.code).toBe(6);
  expect(human.stderr).toContain(`error: ${err.message}`);
  expect(human.stderr).toContain(`hint: ${err.hint}`);
  expect(snapshot(r.dir)).toEqual(before);
  return err;
}

// Every stage command would create `marker` (and its outputs).
const M = "touch marker";

describe("repro refuses a bad pipeline before running anything", () => {
  it("invalid YAML: the message points at file:line:column", async () => {
    const err = await refused(`stages:\n  a:\n    cmd: ${M}; touch x\n   outs: [x]\n`);
    expect(err.code).toBe("PIPELINE_SCHEMA");
    expect(err.message).toMatch(/dvc\.yaml:4:\d+: /);
    const unclosed = await refused(`stages:\n  a:\n    cmd: "${M}\n    outs: [x]\n  b:\n    cmd: x\n`);
    expect(unclosed.message).toMatch(/dvc\.yaml:\d+:\d+: /);
  });

  it("a stage name written twice", async () => {
    const err = await refused(`stages:\n  a:\n    cmd: ${M}\n  a:\n    cmd: ${M}\n`);
    expect(err.code).toBe("PIPELINE_SCHEMA");
    expect(err.message).toMatch(/dvc\.yaml:4:3: .*unique/);
  });

  it("a generated stage name that clashes with another stage", async () => {
    const err = await refused(
      `stages:\n  t@1:\n    cmd: ${M}\n  t:\n    foreach: [1, 2]\n    do:\n      cmd: ${M} \${item}\n`,
    );
    expect(err.code).toBe("PIPELINE_SCHEMA");
    expect(err.message).toContain("'t@1'");
  });

  it("unknown keys, at top level, in a stage and in output flags; a missing cmd", async () => {
    const top = await refused(`stage:\n  a:\n    cmd: ${M}\n`);
    expect(top.code).toBe("PIPELINE_SCHEMA");
    expect(top.hint).toContain("stages");
    const stage = await refused(`stages:\n  a:\n    cmd: ${M}\n    dep: [in.txt]\n`);
    expect(stage.message).toContain("'dep'");
    expect(stage.hint).toContain("deps");
    const flag = await refused(
      `stages:\n  a:\n    cmd: ${M}; touch x\n    outs:\n      - x:\n          cached: false\n`,
    );
    expect(flag.message).toContain("'cached'");
    expect(flag.hint).toContain("cache");
    const noCmd = await refused(`stages:\n  a:\n    outs: [x]\n`);
    expect(noCmd.message).toContain("'cmd'");
  });

  it("wrong types", async () => {
    const cmd = await refused(`stages:\n  a:\n    cmd: {run: ${M}}\n`);
    expect(cmd.code).toBe("PIPELINE_SCHEMA");
    expect(cmd.hint).toMatch(/string/);
    const deps = await refused(`stages:\n  a:\n    cmd: ${M}\n    deps: in.txt\n`);
    expect(deps.hint).toMatch(/list/);
    const frozen = await refused(`stages:\n  a:\n    cmd: ${M}\n    frozen: 'yes'\n`);
    expect(frozen.hint).toMatch(/true or false/);
    const stages = await refused(`stages: [a, b]\n`);
    expect(stages.code).toBe("PIPELINE_SCHEMA");
  });

  it("a cycle, named stage by stage", async () => {
    const err = await refused(
      `stages:\n  a:\n    cmd: ${M}; touch a.txt\n    deps: [b.txt]\n    outs: [a.txt]\n` +
        `  b:\n    cmd: ${M}; touch b.txt\n    deps: [a.txt]\n    outs: [b.txt]\n`,
    );
    expect(err.code).toBe("PIPELINE_CYCLE");
    expect(err.message).toContain("a -> b -> a");
    const self = await refused(`stages:\n  s:\n    cmd: ${M}; mkdir -p d\n    deps: [d/x]\n    outs: [d]\n`);
    expect(self.message).toContain("s -> s");
  });

  it("two stages with the same output, and an output inside another stage's output", async () => {
    const dup = await refused(
      `stages:\n  a:\n    cmd: ${M}; touch x\n    outs: [x]\n  b:\n    cmd: ${M}; touch x\n    outs: [x]\n`,
    );
    expect(dup.code).toBe("OUTPUT_DUPLICATE");
    expect(dup.details).toEqual({ path: "x", owners: ["a", "b"] });
    const inside = await refused(
      `stages:\n  a:\n    cmd: ${M}; mkdir -p d\n    outs: [d]\n  b:\n    cmd: ${M}; touch d/y\n    outs: [d/y]\n`,
    );
    expect(inside.code).toBe("OUTPUT_OVERLAP");
    // a stage output that a .dvc file already tracks
    const tracked = await refused(`stages:\n  a:\n    cmd: ${M}; touch in.txt\n    outs: [in.txt]\n`, {
      "in.txt.dvc": "outs:\n- md5: 3d2b0f4e3d0a4e0bd0c1f1e0a6a6c0f0\n  size: 3\n  hash: md5\n  path: in.txt\n",
    });
    expect(tracked.code).toBe("OUTPUT_DUPLICATE");
  });

  it("a dependency that no stage produces and that does not exist (in the repo or outside it)", async () => {
    const inside = await refused(
      `stages:\n  ok:\n    cmd: ${M}; touch ok\n    outs: [ok]\n  a:\n    cmd: ${M}; touch x\n` +
        `    deps: [ok, nothere.csv]\n    outs: [x]\n`,
    );
    expect(inside.code).toBe("DEPENDENCY_MISSING");
    expect(inside.details).toEqual({ stage: "a", path: "nothere.csv" });
    // `../x` is an external dependency for DVC: hashed like any other, so it must exist too
    const outside = await refused(
      `stages:\n  ok:\n    cmd: ${M}; touch ok\n    outs: [ok]\n  a:\n    cmd: ${M}; touch x\n` +
        `    deps: [../../no-such-dvx-dep-${process.pid}]\n    outs: [x]\n`,
    );
    expect(outside.code).toBe("DEPENDENCY_MISSING");
  });

  it("an undefined interpolation variable", async () => {
    const err = await refused(`stages:\n  a:\n    cmd: ${M} \${nope.lr}\n`, { "params.yaml": "lr: 1\n" });
    expect(err.code).toBe("PIPELINE_RESOLVE");
    expect(err.message).toContain("stages.a.cmd");
    expect(err.message).toContain("nope");
    const foreach = await refused(`stages:\n  a:\n    foreach: \${models}\n    do:\n      cmd: ${M}\n`);
    expect(foreach.code).toBe("PIPELINE_RESOLVE");
  });

  it("paths escaping the repository: outputs, params files and wdir are refused", async () => {
    const out = await refused(`stages:\n  a:\n    cmd: ${M}; touch ../x\n    outs: [../x]\n`);
    expect(out.code).toBe("STAGE_PATH_OUTSIDE");
    expect(out.details).toMatchObject({ stage: "a", path: "../x", what: "output" });
    const abs = await refused(`stages:\n  a:\n    cmd: ${M}\n    outs: [/tmp/dvx-out-${process.pid}]\n`);
    expect(abs.code).toBe("STAGE_PATH_OUTSIDE");
    const params = await refused(`stages:\n  a:\n    cmd: ${M}\n    params:\n      - ../p.yaml: [lr]\n`);
    expect(params.details).toMatchObject({ what: "params file" });
    const wdir = await refused(`stages:\n  a:\n    cmd: ${M}\n    wdir: ../..\n`);
    expect(wdir.details).toMatchObject({ what: "wdir" });
  });

  it("missing params keys and a missing params file", async () => {
    const keys = await refused(
      `stages:\n  a:\n    cmd: ${M}; touch x\n    params: [lr, train.epochs, train.gone]\n    outs: [x]\n`,
      { "params.yaml": "lr: 0.1\ntrain:\n  epochs: 3\n" },
    );
    expect(keys.code).toBe("PARAMS_MISSING");
    expect(keys.details).toEqual({ stage: "a", file: "params.yaml", keys: ["train.gone"] });
    const file = await refused(
      `stages:\n  a:\n    cmd: ${M}; touch x\n    params:\n      - cfg.json: [seed]\n    outs: [x]\n`,
    );
    expect(file.code).toBe("PARAMS_MISSING");
    expect(file.details).toEqual({ stage: "a", file: "cfg.json", keys: [] });
    expect(file.hint).toContain("cfg.json");
  });

  it("a bad pipeline in another dvc.yaml of the project stops the run too", async () => {
    const err = await refused(`stages:\n  a:\n    cmd: ${M}\n`, { "sub/dvc.yaml": "stages:\n  b:\n    bogus: 1\n" });
    expect(err.code).toBe("PIPELINE_SCHEMA");
    expect(err.details).toMatchObject({ file: "sub/dvc.yaml" });
  });

  it("a target that is not a stage", async () => {
    const r = await repoWithHistory();
    const before = snapshot(r.dir);
    const res = await r.run("repro", "--json", "nope");
    expect(res.code).toBe(1);
    expect(jsonError(res).code).toBe("BAD_TARGET");
    expect(snapshot(r.dir)).toEqual(before);
  });
});
