// TOML params files: smol-toml mapped to Python's types, checked against Python's own TOML 1.0 reader (tomllib,
// which agrees with DVC's tomlkit on what is valid and on int/float/datetime types).
import { describe, expect, it } from "vitest";
import { parseToml, TomlError } from "../../../src/pipeline/toml.js";
import { PyFloat } from "../../../src/util/py-float.js";
import { PY_TAG, runPython, tagged } from "../../helpers/python.js";

const PY_TOML = `${PY_TAG}
import json, sys, tomllib
out = []
for doc in json.load(sys.stdin):
    try:
        out.append({"ok": tag(tomllib.loads(doc))})
    except tomllib.TOMLDecodeError:
        out.append({"error": True})
print(json.dumps(out))
`;

const DOCS = [
  "a = 1\nb = 1.0\nc = 1e5\nd = -0.0\ne = 6.5e-3\nf = 1_000\ng = 0xff\nh = 0o17\ni = 0b101\nj = +7\nk = -3\n",
  "inf1 = inf\ninf2 = -inf\ninf3 = +inf\nnan1 = nan\nnan2 = -nan\n",
  "big = 9223372036854775807\nneg = -9223372036854775808\nsafe = 9007199254740993\nf = 1e400\n",
  "tiny = 5e-324\nx = 0.1\ny = 100.0\nz = 1.5e20\nw = 12345678901234567.0\n",
  'title = "a \\"q\\" \\u00e9 \\U0001F600"  # trailing\nlit = \'C:\\path\'\nml = """\nline1\\\n   line2"""\n',
  "ml2 = '''\nraw \\n text'''\nempty = \"\"\n",
  "yes = true\nno = false\n",
  "date = 1979-05-27\ndt = 1979-05-27 07:32:00Z\nlocal = 1979-05-27T07:32:00\noff = 1979-05-27T00:32:00.5-07:00\n",
  "t = 07:32:00\nt2 = 00:32:00.250\n",
  "a.b.c = 1\n\"quoted key\" = 2\n'lit key' = 3\nbare-key_1 = 4\n",
  "arr = [1, [2, 3], 'x',\n  4, # comment\n]\nmixed = [1, 1.0, 'a', true]\nempty = []\n",
  "inline = { x = 1, y.z = 'w' }\n",
  "[table.sub]\nk = 'v'\n[[items]]\nn = 1\n[[items]]\nn = 2\n[items.extra]\ne = true\n",
  "[a]\nx = 1\n[a.b]\ny = 2\n[c]\n",
  "1 = 'one'\n2.5 = 'dotted'\n",
  // invalid TOML 1.0
  "a = 01\n",
  "[t]\nx = 1\n[t]\ny = 2\n",
  "a = 1\na = 2\n",
  "a = 1 2\n",
  "a = 'open\n",
  "a = \n",
  "a = 1.\n",
  "a = .5\n",
  "a = 1__0\n",
  "a = 0x\n",
  "a = TRUE\n",
  "a = [1, 2\n",
  "a = {x = 1}\n[a]\ny = 2\n",
  "a.b = 1\n[a]\nb = 2\n",
  "[[t]]\n[t]\n",
  "a = 1979-13-01\n",
  'a = "\\q"\n',
  "= 1\n",
];

describe("parseToml", () => {
  it("reads what Python's TOML reader reads, with the same types, and rejects what it rejects", () => {
    const want = runPython(PY_TOML, DOCS) as Array<{ ok?: unknown; error?: true }>;
    const got = DOCS.map((doc) => {
      try {
        return { ok: tagged(parseToml(doc, { keepFloats: true })) };
      } catch (err) {
        if (err instanceof TomlError) return { error: true };
        throw err;
      }
    });
    for (const [i, doc] of DOCS.entries()) expect([doc, got[i]]).toEqual([doc, want[i]]);
    expect(want.filter((w) => w.error).length).toBeGreaterThan(15); // the invalid half really is invalid
  });

  it("keeps integers exact past 2^53 and floats as PyFloat only with keepFloats", () => {
    const doc = parseToml("big = 9007199254740993\nsmall = 3\nf = 1.0\n", { keepFloats: true });
    expect(doc).toEqual({ big: 9007199254740993n, small: 3, f: new PyFloat(1) });
    expect(parseToml("f = 1.0\ng = 2.5\n")).toEqual({ f: 1, g: 2.5 });
  });

  it("gives plain objects (a `__proto__` key stays data)", () => {
    const doc = parseToml('[__proto__]\nx = 1\n[t]\n"__proto__" = 2\n');
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(["__proto__", "t"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("reports the line and column of an error", () => {
    const err = (() => {
      try {
        parseToml("a = 1\nb = 01\n");
      } catch (e) {
        return e as TomlError;
      }
    })();
    expect(err).toBeInstanceOf(TomlError);
    expect([err?.line, err?.column]).toEqual([2, 5]);
  });

  it("accepts the TOML 1.1 additions that tomlkit (TOML 1.0) would reject", () => {
    expect(parseToml('a = { x = 1, }\nb = {\n y = 2\n}\nc = "\\e\\x41"\n')).toEqual({
      a: { x: 1 },
      b: { y: 2 },
      c: "\x1bA",
    });
  });

  it("cuts datetime fractions to milliseconds (Python keeps microseconds)", () => {
    expect(parseToml("d = 1979-05-27T00:32:00.999999-07:00\n")).toEqual({ d: "1979-05-27 00:32:00.999000-07:00" });
  });
});
