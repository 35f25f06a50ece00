import { describe, expect, it } from "vitest";
import type { AppError } from "../../../src/errors.js";
import { lockPathFor, parseLockFile } from "../../../src/pipeline/lockfile.js";
import { fixtureFiles } from "./memory-reader.js";

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected a failure");
}

describe("parseLockFile", () => {
  it("reads the real DVC lock in order with typed items", () => {
    const lock = parseLockFile(fixtureFiles("pipeline")["dvc.lock"] ?? "", "dvc.lock");
    expect([...lock.stages.keys()].slice(0, 4)).toEqual(["params_kinds", "whole_file", "in_wdir", "sizes@8"]);
    const pk = lock.stages.get("params_kinds");
    expect(pk?.deps[0]).toEqual({
      path: "src/noop.sh",
      hash: "md5",
      md5: "c21844b41f6c0652d10dba0d44b80099",
      size: 31,
      isexec: true,
      extra: {},
    });
    expect(Object.keys(pk?.params ?? {})).toEqual(["params.yaml", "cfg.toml", "params_py.py", "train.json"]);
    expect(pk?.params["params.yaml"]?.["nested.other"]).toBe(7);
    expect(lock.stages.get("in_wdir")?.outs[1]).toMatchObject({
      path: "d",
      md5: "0763696a0ee503cf7daa85645d570297.dir",
      nfiles: 2,
    });
    expect(lock.stages.get("list_cmd")?.cmd).toEqual(["echo one > l1.txt", "echo two > l2.txt"]);
    expect(lock.stages.get("sizes@8")?.deps).toEqual([]);
  });

  it("reads legacy (DVC 2) items without a hash key and keeps extra keys", () => {
    const lock = parseLockFile(
      "schema: '2.0'\nstages:\n  s:\n    cmd: x\n    deps:\n    - path: s3://b/k\n      etag: abc\n    outs:\n    - path: o\n      md5: d41d8cd98f00b204e9800998ecf8427e\n",
      "dvc.lock",
    );
    const s = lock.stages.get("s");
    expect(s?.outs[0]).toEqual({ path: "o", md5: "d41d8cd98f00b204e9800998ecf8427e", extra: {} });
    expect(s?.deps[0]).toEqual({ path: "s3://b/k", extra: { etag: "abc" } });
  });

  it.each([
    ["stages: {}\n", /schema/],
    ["schema: 2.0\nstages: {}\n", /schema/],
    ["schema: '3.0'\n", /schema/],
    ["schema: '2.0'\nextra: 1\n", /unknown top-level key 'extra'/],
    ["schema: '2.0'\nstages:\n  s: {deps: []}\n", /'cmd'/],
    ["schema: '2.0'\nstages:\n  s: {cmd: x, outz: []}\n", /stage 's': unknown key 'outz'/],
    ["schema: '2.0'\nstages:\n  s: {cmd: x, outs: [{path: o, colour: red}]}\n", /unknown key 'colour'/],
    ["schema: '2.0'\nstages:\n  s: {cmd: x, outs: [{md5: abc}]}\n", /'path'/],
    ["schema: '2.0'\nstages:\n  s: {cmd: x, outs: [{path: o, hash: sha256}]}\n", /unsupported hash/],
    ["schema: '2.0'\nstages:\n  s: {cmd: x, outs: [{path: o, size: big}]}\n", /'size'/],
    ["schema: '2.0'\nstages: [\n", /invalid YAML/],
  ])("rejects %j", (text, reason) => {
    const err = failure(() => parseLockFile(text, "dvc.lock"));
    expect(err.code).toBe("PIPELINE_SCHEMA");
    expect(err.message).toMatch(reason);
  });

  it("rejects absolute or URL output paths", () => {
    for (const p of ["/etc/passwd", "s3://b/k"]) {
      const err = failure(() =>
        parseLockFile(`schema: '2.0'\nstages:\n  s: {cmd: x, outs: [{path: '${p}'}]}\n`, "dvc.lock"),
      );
      expect(err.code).toBe("UNSAFE_PATH");
    }
  });

  it("treats an empty file as an empty lock", () => {
    expect(parseLockFile("", "dvc.lock").stages.size).toBe(0);
  });
});

describe("lockPathFor", () => {
  it("puts dvc.lock beside dvc.yaml", () => {
    expect(lockPathFor("dvc.yaml")).toBe("dvc.lock");
    expect(lockPathFor("a/b/dvc.yaml")).toBe("a/b/dvc.lock");
  });
});
