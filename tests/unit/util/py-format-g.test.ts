// pyFormatG against Python's own format(x, ".<p>g") on values that exercise ties (exactly representable halves),
// the fixed/exponent switch, carries (99999.5), subnormals, zeros and specials.
import { describe, expect, it } from "vitest";
import { pyFormatG } from "../../../src/util/py-format-g.js";
import { runPython } from "../../helpers/python.js";

function values(): number[] {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out = [0.125, 2.5, 0.5, 1e16, 1e-5, 123456.5, 99999.5, 0.000123455, 1.5e300, 5e-324, 10, 100000, 1234567];
  out.push(0.04999999999999993, -0.09999999999999998, 1e-7, 0.1 + 0.2, 0); // -0: JSON cannot carry it
  for (let i = 0; i < 600; i++) {
    const k = i % 4;
    out.push(
      k === 0
        ? rnd()
        : k === 1
          ? (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)
          : k === 2
            ? Math.round(rnd() * 1000) / 8
            : Math.round(rnd() * 1e6) / 1024,
    );
  }
  return out;
}

describe("pyFormatG", () => {
  it("matches Python's format(x, '.pg') for p in 1..17", () => {
    const cases = values().flatMap((v, i) => [[v, [1, 2, 3, 5, 7, 10, 17][i % 7]!] as const, [v, 5] as const]);
    const py = runPython(
      "import json,sys\nprint(json.dumps([format(v, '.%dg' % p) for v, p in json.load(sys.stdin)]))",
      cases,
    ) as string[];
    expect(cases.map(([v, p]) => pyFormatG(v, p))).toEqual(py);
  });

  it("prints specials and signed zeros as Python does", () => {
    expect([NaN, Infinity, -Infinity, -0, 0].map((v) => pyFormatG(v, 5))).toEqual(["nan", "inf", "-inf", "-0", "0"]);
    expect(pyFormatG(0.125, 2)).toBe("0.12"); // half to even, where toPrecision gives 0.13
    expect(pyFormatG(2.5, 1)).toBe("2");
    expect(pyFormatG(99999.5, 5)).toBe("1e+05");
  });
});
