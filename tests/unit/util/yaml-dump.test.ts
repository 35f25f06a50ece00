import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import { parseYaml } from "../../../src/util/yaml.js";
import { dumpYaml, dumpYamlPair } from "../../../src/util/yaml-dump.js";
import { resolvesToNonString } from "../../../src/util/yaml-scalar.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/dvc-yaml/${name}`, import.meta.url), "utf8");

describe("dumpYaml reproduces files written by real DVC 3.64", () => {
  // pipeline-dvc.lock: floats (1e-05, 1.5e-10, 3.0), big ints, booleans, "yes", null, nested
  // params, list cmd, and a long double-quoted cmd folded with a `\` continuation.
  test.each(["pipeline-dvc.lock", "run-cache-sample.yaml", "basic-dvc.lock", "basic-images.dvc", "basic-data.csv.dvc"])(
    "%s round-trips byte for byte",
    (name) => {
      const text = fixture(name);
      expect(dumpYaml(parseYaml(text, name, { keepFloats: true }))).toBe(text);
    },
  );

  test("without keepFloats the whole float 3.0 would lose its .0 (why PyFloat exists)", () => {
    const text = fixture("pipeline-dvc.lock");
    expect(dumpYaml(parseYaml(text, "dvc.lock"))).not.toBe(text);
  });
});

describe("scalar quoting (docs/formats.md §13.1 table)", () => {
  test.each([
    ["2.0", "'2.0'"],
    ["007", "'007'"],
    ["1.0", "'1.0'"],
    ["true", "'true'"],
    ["True", "'True'"],
    ["null", "'null'"],
    ["NULL", "'NULL'"],
    ["~", "'~'"],
    ["0x10", "'0x10'"],
    ["0o17", "'0o17'"],
    ["0b101", "'0b101'"],
    ["1_000", "'1_000'"],
    ["+1", "'+1'"],
    ["1e5", "'1e5'"],
    [".5", "'.5'"],
    [".inf", "'.inf'"],
    ["2021-01-01", "'2021-01-01'"],
    ["=", "'='"],
    ["<<", "'<<'"],
    ["#hash", "'#hash'"],
    ["@at", "'@at'"],
    ["* star", "'* star'"],
    ["%p", "'%p'"],
    ["`b`", "'`b`'"],
    ["{x}", "'{x}'"],
    ["a: b", "'a: b'"],
    ["a #b", "'a #b'"],
    ["ends:", "'ends:'"],
    ["- x", "'- x'"],
    ["-", "'-'"],
    ["trailing ", "'trailing '"],
    [" leading", "' leading'"],
    ["", "''"],
    ["line1\nline2", '"line1\\nline2"'],
    ["a\tb", '"a\\tb"'],
    ["it's: x", '"it\'s: x"'],
    ["a\x7fb", '"a\\x7Fb"'],
    ["\ufeffy", '"\\uFEFFy"'],
    ["😀\t", '"\\U0001F600\\t"'],
    ["a:b", "a:b"],
    ["a#b", "a#b"],
    ["out file.txt", "out file.txt"],
    ["-dash", "-dash"],
    ["it's", "it's"],
    ['say "hi"', 'say "hi"'],
    ["${x}", "${x}"],
    ["é", "é"],
    ["é😀", "é😀"],
    ["yes", "yes"],
    ["no", "no"],
    ["on", "on"],
    ["off", "off"],
    ["_", "_"],
    ["_1", "_1"],
  ])("%j → %s", (value, written) => {
    expect(dumpYaml({ k: value })).toBe(`k: ${written}\n`);
  });

  test("resolvesToNonString follows ruamel's YAML 1.2 resolvers (first-character gated)", () => {
    for (const s of ["1", "-1", "1.", "1e-05", "0o7", "2001-12-14 21:59:43.10 -5", "true\n", "Null"]) {
      expect(resolvesToNonString(s), s).toBe(true);
    }
    for (const s of ["yes", "_1", "1a", "0x", "nul", "2021-1-1", "1.0.0", "TrUe"]) {
      expect(resolvesToNonString(s), s).toBe(false);
    }
  });
});

describe("non-string scalars", () => {
  test("null, booleans, ints and floats", () => {
    const value = {
      none: null,
      t: true,
      f: false,
      i: 10,
      neg: -2,
      big: 12345678901234567890n,
      huge: 1e21,
      half: 0.5,
      whole: new PyFloat(3),
      small: new PyFloat(1e-5),
      large: new PyFloat(1e20),
      nan: NaN,
      inf: Infinity,
      ninf: new PyFloat(-Infinity),
      skipped: undefined,
    };
    expect(dumpYaml(value)).toBe(
      "none:\nt: true\nf: false\ni: 10\nneg: -2\nbig: 12345678901234567890\nhuge: 1000000000000000000000\n" +
        "half: 0.5\nwhole: 3.0\nsmall: 1e-05\nlarge: 1e+20\nnan: .nan\ninf: .inf\nninf: -.inf\n",
    );
  });

  test("top-level scalars are open-ended documents, like ruamel", () => {
    expect(dumpYaml(null)).toBe("null\n...\n");
    expect(dumpYaml("x")).toBe("x\n...\n");
    expect(dumpYaml("'quoted'")).toBe("\"'quoted'\"\n");
  });
});

describe("layout", () => {
  test("empty collections are flow style", () => {
    expect(dumpYaml([])).toBe("[]\n");
    expect(dumpYaml({})).toBe("{}\n");
    expect(dumpYaml({ a: [], b: {}, c: 1 })).toBe("a: []\nb: {}\nc: 1\n");
  });

  test("sequences at the key's column, mappings in items aligned after the dash", () => {
    const value = {
      stages: {
        s: {
          outs: [{ "log.txt": { cache: false } }, { "other.json": ["seed"] }],
          deps: [null, [], {}, [1, [2, 3]]],
        },
      },
    };
    expect(dumpYaml(value)).toBe(
      [
        "stages:",
        "  s:",
        "    outs:",
        "    - log.txt:",
        "        cache: false",
        "    - other.json:",
        "      - seed",
        "    deps:",
        "    - ", // ruamel writes the indentation before an empty scalar
        "    - []",
        "    - {}",
        "    - - 1",
        "      - - 2",
        "        - 3",
        "",
      ].join("\n"),
    );
  });

  test("insertion order, Maps with scalar keys, quoted and complex keys", () => {
    expect(dumpYaml({ z: 1, a: 2 })).toBe("z: 1\na: 2\n");
    expect(
      dumpYaml(
        new Map<unknown, unknown>([
          [1, "a"],
          [true, "b"],
          [null, "c"],
          ["1", "d"],
        ]),
      ),
    ).toBe("1: a\ntrue: b\nnull: c\n'1': d\n");
    expect(dumpYaml({ "": 1, "a: b": 2, "train.epochs": 3 })).toBe("'': 1\n'a: b': 2\ntrain.epochs: 3\n");
    const long = "x".repeat(130);
    expect(dumpYaml({ [long]: 1 })).toBe(`? ${long}\n: 1\n`);
  });
});

describe("folding at 80 columns (ruamel best_width)", () => {
  test("the spec's wrapped cmd (§13.1)", () => {
    const cmd =
      "python3 -c 'print(1)' && echo this is a very long command line that exceeds eighty characters for sure > out.txt";
    const text = dumpYaml({ stages: { long: { cmd } } });
    expect(text).toBe(
      "stages:\n  long:\n    cmd: python3 -c 'print(1)' && echo this is a very long command line that exceeds\n" +
        "      eighty characters for sure > out.txt\n",
    );
    expect(parseYaml(text, "t")).toEqual({ stages: { long: { cmd } } });
  });

  test("a plain scalar folds at the first single space after column 80", () => {
    expect(dumpYaml({ cmd: `${"a".repeat(75)} b c` })).toBe(`cmd: ${"a".repeat(75)} b\n  c\n`);
    expect(dumpYaml({ cmd: `${"a".repeat(76)} b c` })).toBe(`cmd: ${"a".repeat(76)}\n  b c\n`);
    expect(dumpYaml({ cmd: `${"a".repeat(76)}  b c` })).toBe(`cmd: ${"a".repeat(76)}  b\n  c\n`);
    expect(dumpYaml({ k: "x".repeat(100) })).toBe(`k: ${"x".repeat(100)}\n`);
  });

  test("continuation is indented 2 more than the key, also inside list items", () => {
    const path = `${"w ".repeat(50)}end`;
    expect(dumpYaml({ stages: { s: { outs: [{ path }] } } })).toBe(
      "stages:\n  s:\n    outs:\n    - path: w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w w\n" +
        "        w w w w w w w w w w w w w w w end\n",
    );
  });

  test("single- and double-quoted scalars fold too", () => {
    expect(dumpYaml({ q: `${"it is ".repeat(20)}: tail` })).toBe(
      "q: 'it is it is it is it is it is it is it is it is it is it is it is it is it is\n" +
        "  it is it is it is it is it is it is it is : tail'\n",
    );
    expect(dumpYaml({ d: `tab\there ${"word ".repeat(20)}end` })).toBe(
      'd: "tab\\there word word word word word word word word word word word word word word\\\n' +
        '  \\ word word word word word word end"\n',
    );
  });

  test("keys are never folded and columns count code points", () => {
    // 77 emoji are 154 UTF-16 units but 77 columns: "e: " + 77 = column 80, so no fold before x
    const value = { [`k ${"y ".repeat(60)}`.trim()]: 1, e: `${"😀".repeat(77)} x y` };
    expect(dumpYaml(value)).toBe(`${`k ${"y ".repeat(60)}`.trim()}: 1\ne: ${"😀".repeat(77)} x\n  y\n`);
  });
});

describe("dumpYamlPair", () => {
  test("formats a pair exactly as inside a full document at that indent", () => {
    const cmd =
      "python3 -c 'print(1)' && echo this is a very long command line that exceeds eighty characters for sure > out.txt";
    const full = dumpYaml({ stages: { long: { cmd } } });
    expect(dumpYamlPair("cmd", cmd, 4)).toBe(full.slice(full.indexOf("cmd:")));
    expect(dumpYamlPair("hash", "md5", 2)).toBe("hash: md5\n");
    expect(dumpYamlPair("labels", ["a", "b"], 2)).toBe("labels:\n  - a\n  - b\n");
    expect(dumpYamlPair("meta", { x: 1 }, 2)).toBe("meta:\n    x: 1\n");
    expect(dumpYamlPair("none", null, 0)).toBe("none:\n");
    expect(dumpYamlPair("e", [], 2)).toBe("e: []\n");
  });
});

interface Vector {
  value: unknown;
  yaml: string;
}

const decode = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    if ("$f" in v) return new PyFloat(Number(String((v as { $f: string }).$f).replace("inf", "Infinity")));
    return new Map((v as { $m: Array<[string, unknown]> }).$m.map(([k, x]) => [k, decode(x)]));
  }
  return v;
};

describe("randomized vectors from a Python emitter oracle", () => {
  const { cases } = JSON.parse(fixture("emitter-vectors.json")) as { cases: Vector[] };
  test("fixture is loaded", () => {
    expect(cases.length).toBeGreaterThan(50);
  });
  test.each(cases.map((c, i) => [i, c] as const))("vector %i", (_i, c) => {
    expect(dumpYaml(decode(c.value))).toBe(c.yaml);
  });
});
