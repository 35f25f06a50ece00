import { describe, expect, test } from "vitest";
import { PyFloat, pyFloatRepr, pyIntRepr } from "../../../src/util/py-float.js";

describe("pyFloatRepr", () => {
  // Each expected string is what CPython 3 prints for repr(float)
  test.each([
    [0.1, "0.1"],
    [3.0, "3.0"],
    [1e-5, "1e-05"],
    [1e20, "1e+20"],
    [1.5e20, "1.5e+20"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [123456789012345678, "1.2345678901234568e+17"],
    [0.0001, "0.0001"],
    [0.00012345, "0.00012345"],
    [1.5e-10, "1.5e-10"],
    [2.5, "2.5"],
    [1 / 3, "0.3333333333333333"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [9007199254740993, "9007199254740992.0"],
    [1e22, "1e+22"],
    [100, "100.0"],
    [12345.678, "12345.678"],
    [-2.5, "-2.5"],
    [-1e-7, "-1e-07"],
    [0, "0.0"],
    [-0, "-0.0"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
  ])("%s → %s", (n, expected) => {
    expect(pyFloatRepr(n)).toBe(expected);
  });
});

describe("PyFloat", () => {
  test("keeps the value and prints like Python", () => {
    const f = new PyFloat(1);
    expect(f.value).toBe(1);
    expect(String(f)).toBe("1.0");
    expect(`${new PyFloat(1e-5)}`).toBe("1e-05");
  });
});

describe("pyIntRepr", () => {
  test("decimal without exponent, -0 is 0, bigint exact", () => {
    expect(pyIntRepr(42)).toBe("42");
    expect(pyIntRepr(-0)).toBe("0");
    expect(pyIntRepr(1e21)).toBe("1000000000000000000000");
    expect(pyIntRepr(12345678901234567890123n)).toBe("12345678901234567890123");
  });
});
