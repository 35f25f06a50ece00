import { describe, expect, it } from "vitest";
import type { AppError } from "../../../src/errors.js";
import { parseParamsFile } from "../../../src/pipeline/params-file.js";
import { parseToml } from "../../../src/pipeline/toml.js";
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

  it("refuses Python params files with a clear error", () => {
    const err = failure(() => parseParamsFile(files["params_py.py"] ?? "", "params_py.py"));
    expect(err.code).toBe("PARAMS_FORMAT_UNSUPPORTED");
    expect(err.exitCode).toBe(6);
  });

  it("requires a mapping and valid syntax", () => {
    expect(failure(() => parseParamsFile("- a\n", "p.yaml")).code).toBe("PARAMS_FILE");
    expect(failure(() => parseParamsFile("{", "p.json")).code).toBe("PARAMS_FILE");
    expect(failure(() => parseParamsFile("a = ", "p.toml")).code).toBe("PARAMS_FILE");
    expect(failure(() => parseParamsFile("a: [", "p")).code).toBe("PARAMS_FILE");
    expect(parseParamsFile("", "params.yaml")).toEqual({});
  });
});

describe("parseToml", () => {
  it("handles the common TOML forms", () => {
    const text = [
      "# comment",
      'title = "a \\"q\\" \\u00e9"  # trailing',
      "lit = 'C:\\path'",
      "int = 1_000",
      "hex = 0xff",
      "neg = -3",
      "flt = 6.5e-3",
      "inf = -inf",
      "yes = true",
      "date = 1979-05-27",
      "dt = 1979-05-27 07:32:00Z",
      "a.b.c = 1",
      '"quoted key" = 2',
      "arr = [1, [2, 3], 'x',",
      "  4, # comment",
      "]",
      "inline = { x = 1, y.z = 'w' }",
      'ml = """',
      "line1",
      'line2"""',
      "[table.sub]",
      "k = 'v'",
      "[[items]]",
      "n = 1",
      "[[items]]",
      "n = 2",
      "[items.extra]",
      "e = true",
      "",
    ].join("\n");
    expect(parseToml(text)).toEqual({
      title: 'a "q" é',
      lit: "C:\\path",
      int: 1000,
      hex: 255,
      neg: -3,
      flt: 0.0065,
      inf: -Infinity,
      yes: true,
      date: "1979-05-27",
      dt: "1979-05-27 07:32:00Z",
      a: { b: { c: 1 } },
      "quoted key": 2,
      arr: [1, [2, 3], "x", 4],
      inline: { x: 1, y: { z: "w" } },
      ml: "line1\nline2",
      table: { sub: { k: "v" } },
      items: [{ n: 1 }, { n: 2, extra: { e: true } }],
    });
  });

  it("rejects duplicates and garbage with a line number", () => {
    expect(() => parseToml("a = 1\na = 2\n")).toThrow(/line 2: duplicate key 'a'/);
    expect(() => parseToml("a = 1 2\n")).toThrow(/line 1/);
    expect(() => parseToml("a = 'open\n")).toThrow(/line 1/);
  });
});
