import { describe, expect, it } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import { parsePyJson, PyJsonError } from "../../../src/util/py-json-parse.js";

describe("parsePyJson (Python's json.loads)", () => {
  it("keeps floats written as floats, and ints exact beyond 2**53", () => {
    const v = parsePyJson('{"a": 1.0, "b": 2e3, "c": 1.5, "d": 3, "e": -0.0, "big": 12345678901234567890}') as Record<
      string,
      unknown
    >;
    expect(v.a).toEqual(new PyFloat(1));
    expect(v.b).toEqual(new PyFloat(2000));
    expect(v.c).toBe(1.5);
    expect(v.d).toBe(3);
    expect(v.e).toEqual(new PyFloat(-0));
    expect(v.big).toBe(12345678901234567890n);
  });

  it("reads what JSON.parse reads, plus NaN and ±Infinity; the last duplicate key wins", () => {
    const text = '{"s": "a\\u00e9\\n\\"", "l": [true, false, null, [], {}], "n": {"x": {"y": -2}}, "s": "b"}';
    expect(parsePyJson(text)).toEqual({ s: "b", l: [true, false, null, [], {}], n: { x: { y: -2 } } });
    expect(parsePyJson("[NaN, Infinity, -Infinity]")).toEqual([NaN, Infinity, -Infinity]);
    expect(parsePyJson('  "x"  ')).toBe("x");
  });

  it("makes __proto__ an ordinary key", () => {
    const v = parsePyJson('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects what Python rejects, with its line and column", () => {
    const bad = ["", "{", '{"a": }', "[1,]", '{"a" 1}', "01", '"\t"', "1 2", "{'a': 1}", "\ufeff{}"];
    for (const t of bad) expect(() => parsePyJson(t), t).toThrow(PyJsonError);
    const caught = ((): unknown => {
      try {
        return parsePyJson('{\n  "a": oops\n}');
      } catch (e) {
        return e;
      }
    })();
    expect(caught).toBeInstanceOf(PyJsonError);
    expect(caught).toMatchObject({ line: 2, column: 8, reason: "Expecting value" });
  });
});
