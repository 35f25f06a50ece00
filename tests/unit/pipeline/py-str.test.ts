import { describe, expect, it } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import { dictToCliArgs, dvcToStr, pyNumberStr, pyStr, shlexQuote } from "../../../src/pipeline/py-str.js";

describe("pyNumberStr (Python repr of floats)", () => {
  it.each([
    [0.1, "0.1"],
    [0.02, "0.02"],
    [0.00001, "1e-05"],
    [1.5e-10, "1.5e-10"],
    [0.0001, "0.0001"],
    [0.0001234, "0.0001234"],
    [2.5e-7, "2.5e-07"],
    [123.456, "123.456"],
    [-0.5, "-0.5"],
    [1.2345e20, "1.2345e+20"],
    [12345678901234567.5, "1.2345678901234568e+16"],
    [3, "3"],
    [12345678901234, "12345678901234"],
    [1e22, "1e+22"],
    [1e16, "1e+16"],
    [9007199254740991, "9007199254740991"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ])("%s → %s", (n, s) => {
    expect(pyNumberStr(n)).toBe(s);
  });
});

describe("dvcToStr / pyStr", () => {
  it("renders booleans as true/false but None and containers like Python", () => {
    expect(dvcToStr(true)).toBe("true");
    expect(dvcToStr(false)).toBe("false");
    expect(dvcToStr(null)).toBe("None");
    expect(pyStr([1, 2.5, "three", true, null])).toBe("[1, 2.5, 'three', True, None]");
    expect(pyStr("it's")).toBe("it's");
    expect(pyStr(["it's"])).toBe(`["it's"]`);
    // floats kept by parseYaml(..., { keepFloats: true }) print as Python floats
    expect(pyStr(new PyFloat(3))).toBe("3.0");
    expect(dictToCliArgs({ a: new PyFloat(1), b: [new PyFloat(2)] })).toBe("--a 1.0 --b 2.0");
  });
});

describe("shlexQuote", () => {
  it("quotes like Python's shlex.quote", () => {
    expect(shlexQuote("")).toBe("''");
    expect(shlexQuote("a/b-c.d@e%f+g=h:i,j")).toBe("a/b-c.d@e%f+g=h:i,j");
    expect(shlexQuote("two words")).toBe("'two words'");
    expect(shlexQuote("it's")).toBe(`'it'"'"'s'`);
  });
});

describe("dictToCliArgs", () => {
  const args = {
    lr: 0.001,
    name: "my model",
    flag: true,
    off: false,
    layers: [64, 32],
    nested: { depth: 3, tags: ["a b", "c"] },
    none: null,
    empty: {},
  };

  it("builds --key value flags with nargs lists and store_true booleans by default", () => {
    expect(dictToCliArgs(args)).toBe(
      "--lr 0.001 --name 'my model' --flag --layers 64 32 --nested.depth 3 --nested.tags 'a b' c --none None",
    );
  });

  it("honours parsing.bool=boolean_optional and parsing.list=append", () => {
    expect(dictToCliArgs({ off: false, l: [1, 2] }, { bool: "boolean_optional", list: "append" })).toBe(
      "--no-off --l 1 --l 2",
    );
  });

  it("uses Python str() for non-string list items", () => {
    expect(dictToCliArgs({ l: [true, null, 0.5] })).toBe("--l True None 0.5");
  });

  it("refuses nested lists", () => {
    expect(() => dictToCliArgs({ l: [[1]] })).toThrow(/nested iterable/);
  });
});
