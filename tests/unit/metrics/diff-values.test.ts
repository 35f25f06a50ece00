import { describe, expect, it } from "vitest";
import { diffFileData, diffFiles } from "../../../src/metrics/diff.js";
import { directionFor, parseDirectionSpec, verdictOf } from "../../../src/metrics/direction.js";
import { flatten } from "../../../src/metrics/flatten.js";
import { extractMetrics, paramsForDisplay, parseMetricsText, selectParams } from "../../../src/metrics/read.js";
import { csvTable, renderTable } from "../../../src/metrics/table.js";
import { formatLeaf, leafEquals, subtract } from "../../../src/metrics/values.js";
import { PyFloat } from "../../../src/util/py-float.js";

const f = (n: number) => new PyFloat(n);

describe("reading metrics files", () => {
  it("parses JSON, YAML and TOML by extension, keeping floats written as floats", () => {
    expect(parseMetricsText('{"a": 1.0, "b": 2}', "m.json")).toEqual({ a: f(1), b: 2 });
    expect(parseMetricsText("a: 1.0\nb: 2\n", "m.yaml")).toEqual({ a: f(1), b: 2 });
    expect(parseMetricsText("a = 1.0\nb = 2\n", "m.TOML")).toEqual({ a: f(1), b: 2 });
    expect(parseMetricsText("", "m.yml")).toBe(null);
  });

  it("throws METRICS_FILE for a file that does not parse", () => {
    for (const [text, file] of [
      ["{", "m.json"],
      ["a: [", "m.yaml"],
      ["a = ", "m.toml"],
    ])
      expect(() => parseMetricsText(text!, file!)).toThrow(expect.objectContaining({ code: "METRICS_FILE" }));
  });

  it("keeps numbers, strings and booleans; drops lists, nulls and what is left empty (DVC's _extract_metrics)", () => {
    expect(extractMetrics({ a: 1, b: [1, 2], c: null, d: { e: "x", f: true, g: { h: [] } }, i: {} })).toEqual({
      a: 1,
      d: { e: "x", f: true },
    });
    expect(extractMetrics(0.5)).toBe(0.5);
    expect(extractMetrics(0)).toEqual({});
    expect(extractMetrics([1, 2])).toEqual({});
    expect(extractMetrics(null)).toEqual({});
  });

  it("selects tracked params (whole sub-mappings, missing keys skipped) and prints lists as Python", () => {
    const data = { a: { b: 1, c: [1, f(2.5), "x"] }, d: null, e: { f: { g: true } } };
    expect(selectParams(data, ["a.c", "d", "e.f", "nope", "a.b.x"])).toEqual({
      a: { c: [1, f(2.5), "x"] },
      d: null,
      e: { f: { g: true } },
    });
    expect(selectParams(data, null)).toBe(data);
    expect(paramsForDisplay({ a: { c: [1, f(2.5), "x", [{ k: true }]] } })).toEqual({
      a: { c: "[1, 2.5, 'x', [{'k': True}]]" },
    });
  });

  it("flattens with dots and drops empty mappings (flatten_dict)", () => {
    expect([...flatten({ a: { b: { c: 1 }, d: {} }, e: [1] })]).toEqual([
      ["a.b.c", 1],
      ["e", [1]],
    ]);
  });
});

describe("Python values", () => {
  it("prints like str(): True/False, float repr, ints, - for missing, round() with a precision", () => {
    expect(
      [true, false, 3, f(3), 0.1, 1e-5, f(1.5e20), 12345678901234567890n, null, "s"].map((v) => formatLeaf(v)),
    ).toEqual(["True", "False", "3", "3.0", "0.1", "1e-05", "1.5e+20", "12345678901234567890", "-", "s"]);
    expect(formatLeaf(0.04999999999999993, 5)).toBe("0.05");
    expect(formatLeaf(1.5e-10, 5)).toBe("0.0");
    expect(formatLeaf(7, 5)).toBe("7");
    expect(formatLeaf(0.123456789, 2)).toBe("0.12");
  });

  it("subtracts as Python: int - int is an int, a float on either side gives a float, bools are ints", () => {
    expect(subtract(8, 7)).toBe(8 - 7);
    expect(subtract(f(2), 1)).toEqual(f(1));
    expect(subtract(0.95, 0.9)).toBe(0.95 - 0.9);
    expect(subtract(true, true)).toBe(0);
    expect(subtract(false, true)).toBe(-1);
    expect(subtract(2n ** 64n, 1)).toBe(2n ** 64n - 1n);
  });

  it("compares as Python ==: 1 == 1.0 == True, '1' != 1, None == None", () => {
    expect(leafEquals(1, f(1))).toBe(true);
    expect(leafEquals(true, 1)).toBe(true);
    expect(leafEquals("1", 1)).toBe(false);
    expect(leafEquals(null, undefined)).toBe(true);
    expect(leafEquals(0, null)).toBe(false);
  });
});

describe("diff (dvc.utils.diff)", () => {
  it("reports changed, added and removed keys sorted, with diff only between numbers", () => {
    const rows = diffFileData({ b: 1, a: "x", c: 0.5, d: true }, { b: 2, a: "y", e: 1, d: false }, false);
    expect(rows).toEqual([
      ["a", { old: "x", new: "y" }],
      ["b", { old: 1, new: 2, diff: 1 }],
      ["c", { old: 0.5, new: null }],
      ["d", { old: true, new: false, diff: -1 }],
      ["e", { old: null, new: 1 }],
    ]);
  });

  it("with `all`, unchanged keys too (numbers get a 0 change)", () => {
    expect(diffFileData({ a: 1, b: f(2), s: "x" }, { a: 1, b: f(2), s: "x" }, true)).toEqual([
      ["a", { old: 1, new: 1, diff: 0 }],
      ["b", { old: f(2), new: f(2), diff: f(0) }],
      ["s", { old: "x", new: "x" }],
    ]);
    expect(diffFileData({ a: 1 }, { a: f(1) }, false)).toEqual([]);
  });

  it("a file missing (or unreadable) on one side compares against nothing; a scalar file is key ''", () => {
    expect(diffFileData(undefined, { a: 1 }, false)).toEqual([["a", { old: null, new: 1 }]]);
    expect(diffFileData(0.5, 0.75, false)).toEqual([["", { old: 0.5, new: 0.75, diff: 0.75 - 0.5 }]]);
    // DVC's quirk: keys of a mapping compared with a scalar file read "unable to parse"
    expect(diffFileData(5, { a: 1 }, false)).toEqual([["a", { old: "unable to parse", new: 1 }]]);
  });

  it("keeps the given file order (DVC's is random)", () => {
    const data = new Map<string, unknown>([
      ["z.json", { a: 1 }],
      ["a.json", { a: 1 }],
    ]);
    const rows = diffFiles(["z.json", "a.json"], new Map(), data, false);
    expect(rows.map((r) => r.path)).toEqual(["z.json", "a.json"]);
  });
});

describe("directions and verdicts (dvx-only)", () => {
  const dirs = new Map([
    ["acc", "higher" as const],
    ["eval/m.json:loss", "lower" as const],
    ["loss", "higher" as const],
  ]);

  it("a path:name entry wins over a name entry; names match case-insensitively", () => {
    expect(directionFor(dirs, "eval/m.json", "loss")).toBe("lower");
    expect(directionFor(dirs, "other.json", "loss")).toBe("higher");
    expect(directionFor(dirs, "x.json", "ACC")).toBe("higher");
    expect(directionFor(dirs, "x.json", "f1")).toBeUndefined();
    expect(parseDirectionSpec("Eval/M.json:Acc=HIGHER")).toEqual({ name: "eval/m.json:acc", direction: "higher" });
    expect(parseDirectionSpec("acc=up")).toBeUndefined();
    expect(parseDirectionSpec("=higher")).toBeUndefined();
  });

  it("improved/regressed by the direction, unchanged when equal, none without a direction or numbers", () => {
    expect(verdictOf({ old: 0.5, new: 0.6, diff: 0.1 }, "higher")).toBe("improved");
    expect(verdictOf({ old: 0.5, new: 0.6, diff: 0.1 }, "lower")).toBe("regressed");
    expect(verdictOf({ old: 0.5, new: 0.4, diff: -0.1 }, "lower")).toBe("improved");
    expect(verdictOf({ old: 1, new: f(1), diff: f(0) }, undefined)).toBe("unchanged");
    expect(verdictOf({ old: "a", new: "a" }, "higher")).toBe("unchanged");
    expect(verdictOf({ old: 0.5, new: 0.6, diff: 0.1 }, undefined)).toBeUndefined();
    expect(verdictOf({ old: null, new: 0.6 }, "higher")).toBeUndefined();
    expect(verdictOf({ old: "a", new: "b" }, "higher")).toBeUndefined();
  });
});

describe("renderTable", () => {
  it("plain prints nothing without rows, markdown prints its header, csv quotes as Python's csv module", () => {
    expect(renderTable("plain", ["Path"], [])).toBe("");
    expect(renderTable("md", ["Path"], [])).toBe("| Path   |\n|--------|\n\n");
    expect(
      csvTable(
        ["Path", "a"],
        [
          ["m,1.json", 'say "x"'],
          ["m.json", ""],
        ],
      ),
    ).toBe('Path,a\r\n"m,1.json","say ""x"""\r\nm.json,\r\n');
  });

  it("widths count code points (Python len), not UTF-16 units", () => {
    expect(renderTable("plain", ["P", "v"], [["𝑥.json", "1"]])).toBe("P       v\n𝑥.json  1\n");
  });
});
