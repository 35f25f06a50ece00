import { describe, expect, it } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import {
  checkSyntax,
  InterpolationError,
  parseExpr,
  resolveData,
  resolveStr,
} from "../../../src/pipeline/interpolate.js";

const vars = {
  n: 3,
  f: 0.02,
  tiny: 0.00001,
  on: true,
  nothing: null,
  name: "net",
  list: [10, 20, { deep: "x" }],
  nested: { a: { b: 7 } },
  args: { lr: 0.1, verbose: true },
};

describe("resolveStr", () => {
  it("keeps the native type for an exact ${expr}", () => {
    expect(resolveStr("${n}", vars)).toBe(3);
    expect(resolveStr("${on}", vars)).toBe(true);
    expect(resolveStr("${nothing}", vars)).toBeNull();
    expect(resolveStr("${nested}", vars)).toEqual({ a: { b: 7 } });
  });

  it("stringifies embedded values like DVC", () => {
    expect(resolveStr("run ${n} ${f} ${tiny} ${on} ${nothing} ${name}", vars)).toBe("run 3 0.02 1e-05 true None net");
  });

  it("embeds PyFloat values as Python floats", () => {
    expect(resolveStr("lr=${w}", { w: new PyFloat(1) }, { key: "cmd" })).toBe("lr=1.0");
  });

  it("supports dotted paths, [index] and negative indexes", () => {
    expect(resolveStr("${nested.a.b}-${list[1]}-${list[2].deep}-${list[-3]}-${ nested . a.b }", vars)).toBe(
      "7-20-x-10-7",
    );
  });

  it("leaves \\${ escaped and un-escapes it", () => {
    expect(resolveStr("echo \\${HOME} ${n}", vars)).toBe("echo ${HOME} 3");
    expect(resolveStr("\\${n}", vars)).toBe("${n}");
  });

  it("fails on unknown keys and out-of-range indexes", () => {
    expect(() => resolveStr("${missing}", vars)).toThrow(InterpolationError);
    expect(() => resolveStr("${nested.a.c}", vars)).toThrow(/Could not find 'nested.a.c'/);
    expect(() => resolveStr("${list[5]}", vars)).toThrow(InterpolationError);
    expect(() => resolveStr("${n.x}", vars)).toThrow(InterpolationError);
  });

  it("only embeds containers as CLI flags inside cmd", () => {
    expect(() => resolveStr("x ${list}", vars, { key: "outs" })).toThrow(/Cannot interpolate data of type 'list'/);
    expect(() => resolveStr("${list}", vars, { key: "outs" })).toThrow(/list/);
    expect(() => resolveStr("x ${args}", vars, { key: "deps" })).toThrow(/dict/);
    expect(resolveStr("train ${args}", vars, { key: "cmd" })).toBe("train --lr 0.1 --verbose");
    // foreach/matrix data (no key) may be a container
    expect(resolveStr("${list}", vars)).toEqual([10, 20, { deep: "x" }]);
  });
});

describe("resolveData", () => {
  it("resolves nested structures including mapping keys", () => {
    expect(resolveData({ outs: [{ "${name}.pkl": { cache: "${on}" } }] }, vars)).toEqual({
      outs: [{ "net.pkl": { cache: true } }],
    });
  });
  it("leaves non-strings alone", () => {
    expect(resolveData([1, true, null], vars)).toEqual([1, true, null]);
  });
});

describe("parseExpr / checkSyntax", () => {
  it("splits paths", () => {
    expect(parseExpr("a.b[0].c")).toEqual(["a", "b", "0", "c"]);
  });
  it("rejects malformed expressions", () => {
    for (const bad of ["", "a..b", "a[", "a[]", ".a"]) expect(() => parseExpr(bad), bad).toThrow(InterpolationError);
    expect(() => checkSyntax({ cmd: ["ok ${a}", "bad ${a..b}"] })).toThrow(InterpolationError);
  });
});
