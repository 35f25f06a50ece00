// -S/--set-param: the [file:]key=value split DVC does, Hydra's basic value grammar, and applying overrides to
// params data with Hydra's rules (set needs the key, + needs it absent, ~ deletes, no path through a scalar).
import { describe, expect, it } from "vitest";
import { applyOverrides } from "../../../src/exp/override-apply.js";
import { parseOverrideValue, parseSetParam } from "../../../src/exp/override-parse.js";
import { PyFloat } from "../../../src/util/py-float.js";

const val = (s: string): unknown => parseOverrideValue(s).value;
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return "no error";
  } catch (e) {
    return `${(e as { code?: string }).code}/${(e as { exitCode?: number }).exitCode}`;
  }
};

describe("parseSetParam", () => {
  it("takes a file prefix only when ':' comes before the first '=' (DVC's to_path_overrides)", () => {
    expect(parseSetParam("train.lr=0.1")).toMatchObject({ file: "params.yaml", kind: "set", key: ["train", "lr"] });
    expect(parseSetParam("conf/p.json:model.depth=3")).toMatchObject({ file: "conf/p.json", key: ["model", "depth"] });
    expect(parseSetParam("url=http://x:80/a")).toMatchObject({
      file: "params.yaml",
      key: ["url"],
      value: "http://x:80/a",
    });
    expect(parseSetParam("p.toml:+a.b=1")).toMatchObject({ file: "p.toml", kind: "add", key: ["a", "b"], value: 1 });
    expect(parseSetParam("++a=1")).toMatchObject({ kind: "force-add" });
    expect(parseSetParam("~a.b")).toMatchObject({ kind: "delete", key: ["a", "b"] });
    expect(parseSetParam("~a=3")).toMatchObject({ kind: "delete", value: 3 });
  });

  it("rejects what is not an override (usage error, exit 2)", () => {
    for (const bad of ["lr", "=1", "a..b=1", ":a=1", "a. b=1"])
      expect(
        codeOf(() => parseSetParam(bad)),
        bad,
      ).toBe("PARAM_OVERRIDE/2");
  });
});

describe("override values (Hydra's basic grammar)", () => {
  it("types primitives as Hydra does", () => {
    expect(val("10")).toBe(10);
    expect(val("-3")).toBe(-3);
    expect(val("1_000")).toBe(1000);
    expect(val("123456789012345678901")).toBe(123456789012345678901n);
    for (const [text, n] of [
      ["0.1", 0.1],
      ["1e-5", 1e-5],
      [".5", 0.5],
      ["1.", 1],
      ["2E3", 2000],
      ["-inf", -Infinity],
    ] as const) {
      expect(val(text), text).toBeInstanceOf(PyFloat);
      expect((val(text) as PyFloat).value).toBe(n);
    }
    expect(Number.isNaN((val("nan") as PyFloat).value)).toBe(true);
    expect(val("true")).toBe(true);
    expect(val("False")).toBe(false);
    expect(val("null")).toBe(null);
    expect(val("adam")).toBe("adam");
    expect(val("  two words ")).toBe("two words");
    expect(val("1.0.0")).toBe("1.0.0");
    expect(val("")).toBe("");
    expect(val("'0.1'")).toBe("0.1");
    expect(val('"it\'s"')).toBe("it's");
    expect(val("a\\,b")).toBe("a,b");
    expect(val("${x.y}")).toBe("${x.y}");
  });

  it("reads flow lists and dicts, nested", () => {
    expect(val("[1, 'a', [true, null]]")).toEqual([1, "a", [true, null]]);
    expect(val("{a: 1, b: [x, y], 'c d': {e: f}}")).toEqual({ a: 1, b: ["x", "y"], "c d": { e: "f" } });
    expect(val("[]")).toEqual([]);
    expect(val("{}")).toEqual({});
  });

  it("recognises sweeps (for the queue) and gives every value", () => {
    expect(parseOverrideValue("1,2,3").sweep).toEqual([1, 2, 3]);
    expect(parseOverrideValue("choice(adam, sgd)").sweep).toEqual(["adam", "sgd"]);
    expect(parseOverrideValue("range(1, 7, 2)").sweep).toEqual([1, 3, 5]);
    expect(parseOverrideValue("[1,2]").sweep).toBeUndefined();
  });

  it("rejects malformed values", () => {
    for (const bad of ["[1,2", "{a 1}", "'open", "[1]x", "{a: 1", "interval(0,1)", "a]", "x(1)"])
      expect(
        codeOf(() => parseOverrideValue(bad)),
        bad,
      ).toBe("PARAM_OVERRIDE/2");
  });
});

describe("applyOverrides", () => {
  const data = { train: { lr: 0.1, opt: { name: "adam" }, layers: [4, 8] }, seed: 1 };
  const apply = (...args: string[]) =>
    applyOverrides(
      data,
      args.map((a) => parseSetParam(a)),
    );

  it("sets, merges mappings, adds with +, deletes with ~, and leaves the input alone", () => {
    expect(apply("train.lr=0.5", "+train.dropout=0.2", "~seed", "train.opt={beta: 0.9}", "train.layers.1=16")).toEqual({
      train: {
        lr: new PyFloat(0.5),
        opt: { name: "adam", beta: new PyFloat(0.9) },
        layers: [4, 16],
        dropout: new PyFloat(0.2),
      },
    });
    expect(apply("+new.deep.key=x")).toMatchObject({ new: { deep: { key: "x" } } });
    expect(apply("++seed=2", "++other=3")).toMatchObject({ seed: 2, other: 3 });
    expect(data).toEqual({ train: { lr: 0.1, opt: { name: "adam" }, layers: [4, 8] }, seed: 1 });
  });

  it("refuses an unknown key without +, an existing one with +, a path through a scalar, a missing ~key", () => {
    for (const bad of [
      "train.momentum=1",
      "+seed=2",
      "seed.x=1",
      "train.lr.x=1",
      "~nope",
      "~seed=5",
      "train.layers.5=1",
    ])
      expect(
        codeOf(() => apply(bad)),
        bad,
      ).toBe("PARAM_OVERRIDE/2");
  });
});
