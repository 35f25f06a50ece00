import { describe, expect, it } from "vitest";
import type { AppError } from "../../../src/errors.js";
import { parseLockFile } from "../../../src/pipeline/lockfile.js";
import { paramsSuffix, parseParamsFile } from "../../../src/pipeline/params-file.js";
import { PyFloat } from "../../../src/util/py-float.js";
import { pyEquals } from "../../../src/util/yaml.js";
import { fixtureFiles } from "./memory-reader.js";

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected a failure");
}

describe("parseParamsFile", () => {
  const files = fixtureFiles("pipeline");

  it("reads the fixture's YAML, JSON and TOML params", () => {
    const yaml = parseParamsFile(files["params.yaml"] ?? "", "params.yaml");
    expect(yaml).toMatchObject({
      float_small: 0.00001,
      word: "yes",
      nothing: null,
      off: false,
      nested: { deep: { items: ["a", "b"] }, other: 7 },
    });
    expect(parseParamsFile(files["train.json"] ?? "", "train.json")).toEqual({
      lr: 0.5,
      layers: [64, 32],
      opt: { name: "adam", beta: 0.9 },
    });
    expect(parseParamsFile(files["cfg.toml"] ?? "", "CFG.TOML")).toEqual({
      model: { depth: 4, ratio: 0.25, extra: { name: "t" } },
    });
  });

  it("reads the Python params file the way DVC locked it", () => {
    expect(parseParamsFile(files["params_py.py"] ?? "", "params_py.py")).toEqual({
      BATCH: 32,
      LR: 0.001,
      NAME: "net",
      Train: { epochs: 10 },
    });
  });

  it("gives every params value in the fixture's dvc.lock (real DVC) from the four params files", () => {
    const lock = parseLockFile(files["dvc.lock"] ?? "", "dvc.lock");
    let checked = 0;
    const formats = new Set<string>();
    for (const entry of lock.stages.values()) {
      for (const [file, values] of Object.entries(entry.params)) {
        const data = parseParamsFile(files[file] ?? "", file, { keepFloats: true });
        for (const [key, want] of Object.entries(values)) {
          const got = key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
          expect([file, key, pyEquals(got, want)]).toEqual([file, key, true]);
          checked++;
          formats.add(paramsSuffix(file));
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect([...formats].sort()).toEqual([".json", ".py", ".toml", ".yaml"]);
  });

  it("picks the reader by DVC's suffix: from the first dot of the name, lower-cased", () => {
    expect(["a/params.JSON", "p.local.json", ".json", "dir.d/x", "x.Py", "x", "a/.b.toml"].map(paramsSuffix)).toEqual([
      ".json",
      ".local.json",
      ".json",
      "",
      ".py",
      "",
      ".b.toml",
    ]);
    // a dotfile named .json is JSON (1.0 reads as 1); p.local.json is YAML (1.0 stays a float)
    expect(parseParamsFile('{"a": 1.0}', "dir/.json", { keepFloats: true })).toEqual({ a: 1 });
    expect(parseParamsFile('{"a": 1.0}', "p.local.json", { keepFloats: true })).toEqual({ a: new PyFloat(1) });
    // so TOML in my.params.toml is read as YAML: a scalar, not a mapping
    expect(failure(() => parseParamsFile("a = 1\n", "my.params.toml")).code).toBe("PARAMS_FILE");
    expect(parseParamsFile("A = 1\n", "CFG.PY")).toEqual({ A: 1 });
  });

  it("rejects invalid TOML and Python with a ParamsFileError naming the file", () => {
    for (const [text, file] of [
      ["a = 01\n", "bad.toml"],
      ["[t]\nx = 1\n[t]\ny = 2\n", "bad.toml"],
      ["x = 1\n  y = 2\n", "bad.py"],
      ["x = 'open\n", "bad.py"],
      ["D = {[1]: 2}\n", "bad.py"],
    ] as const) {
      const err = failure(() => parseParamsFile(text, `conf/${file}`));
      expect([err.code, err.exitCode, err.details?.file]).toEqual(["PARAMS_FILE", 6, `conf/${file}`]);
      expect(err.message).toContain(`conf/${file}`);
    }
  });

  it("requires a mapping and valid syntax", () => {
    expect(failure(() => parseParamsFile("- a\n", "p.yaml")).code).toBe("PARAMS_FILE");
    expect(failure(() => parseParamsFile("{", "p.json")).code).toBe("PARAMS_FILE");
    expect(failure(() => parseParamsFile("a = ", "p.toml")).code).toBe("PARAMS_FILE");
    expect(failure(() => parseParamsFile("a: [", "p")).code).toBe("PARAMS_FILE");
    expect(parseParamsFile("", "params.yaml")).toEqual({});
  });
});
