import { describe, expect, test } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import { parseYaml, pyEquals, updateYamlText, YamlSyntaxError } from "../../../src/util/yaml.js";

describe("parseYaml", () => {
  test("YAML 1.2 core: yes/no/on/off stay strings", () => {
    expect(parseYaml("a: yes\nb: off\nc: true\nd: 0o10\n", "f")).toEqual({ a: "yes", b: "off", c: true, d: 8 });
  });

  test("keepFloats returns PyFloat for float scalars only", () => {
    const v = parseYaml(
      "a: 1.0\nb: 1e-5\nc: 0.5\nd: .inf\ne: -.inf\nf: .nan\ng: 1\nh: '1.0'\ni: !!float 2\nj: [2.5, 3]\n1.5: key\n",
      "f",
      { keepFloats: true },
    ) as Record<string, unknown>;
    expect(v.a).toEqual(new PyFloat(1));
    expect(v.b).toEqual(new PyFloat(1e-5));
    expect(v.c).toEqual(new PyFloat(0.5));
    expect(v.d).toEqual(new PyFloat(Infinity));
    expect(v.e).toEqual(new PyFloat(-Infinity));
    expect(v.f).toBeInstanceOf(PyFloat);
    expect(Number.isNaN((v.f as PyFloat).value)).toBe(true);
    expect(v.g).toBe(1);
    expect(v.h).toBe("1.0");
    expect(v.i).toEqual(new PyFloat(2));
    expect(v.j).toEqual([new PyFloat(2.5), 3]);
    expect(v["1.5"]).toBe("key"); // keys are not converted
  });

  test("without keepFloats floats are plain numbers", () => {
    expect(parseYaml("a: 1.0\nb: 0.5\n", "f")).toEqual({ a: 1, b: 0.5 });
  });

  test("syntax errors carry the file and line", () => {
    let err: unknown;
    try {
      parseYaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YamlSyntaxError);
    expect((err as YamlSyntaxError).file).toBe("bad.yaml");
    expect((err as YamlSyntaxError).line).toBeGreaterThanOrEqual(2);
    expect(() => parseYaml("a: 1\na: 2\n", "dup.yaml")).toThrow(YamlSyntaxError);
  });
});

describe("pyEquals (Python ==)", () => {
  test("numbers compare by value across int/float/bool", () => {
    expect(pyEquals(1, new PyFloat(1))).toBe(true);
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals(1, 2)).toBe(false);
    expect(pyEquals("1", 1)).toBe(false);
    expect(pyEquals(null, undefined)).toBe(true);
    expect(pyEquals(null, 0)).toBe(false);
  });

  test("containers compare deeply; dict key order does not matter", () => {
    expect(pyEquals({ a: 1, b: [1, "x"] }, { b: [1, "x"], a: new PyFloat(1) })).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(pyEquals([1, 2], [2, 1])).toBe(false);
    expect(pyEquals([], {})).toBe(false);
  });
});

describe("updateYamlText", () => {
  const base = [
    "# header comment",
    "outs:  # the outputs",
    "- md5: 1b5bb282b8f8792875e3c4203cfa9c57  # old hash",
    "  size: 6",
    "  nfiles: 2",
    "  path: crlf.txt",
    "  labels: [a, b]",
    "# trailing comment",
    "",
  ].join("\n");

  test("unchanged content gives the same bytes", () => {
    const value = {
      outs: [
        {
          md5: "1b5bb282b8f8792875e3c4203cfa9c57",
          size: new PyFloat(6),
          nfiles: 2,
          path: "crlf.txt",
          labels: ["a", "b"],
        },
      ],
    };
    expect(updateYamlText(base, value, "f")).toBe(base);
  });

  test("changed values are replaced in place, new keys appended, gone keys removed", () => {
    const value = {
      outs: [{ md5: "2a4195faccb6a772befcb96663ee6baf", size: 6, path: "crlf.txt", labels: ["a", "b"], hash: "md5" }],
    };
    expect(updateYamlText(base, value, "f")).toBe(
      [
        "# header comment",
        "outs:  # the outputs",
        "- md5: 2a4195faccb6a772befcb96663ee6baf  # old hash",
        "  size: 6",
        "  path: crlf.txt",
        "  labels: [a, b]",
        "  hash: md5",
        "# trailing comment",
        "",
      ].join("\n"),
    );
  });

  test("a changed flow collection is rewritten in block style", () => {
    const value = {
      outs: [{ md5: "1b5bb282b8f8792875e3c4203cfa9c57", size: 6, nfiles: 2, path: "crlf.txt", labels: ["c"] }],
    };
    expect(updateYamlText(base, value, "f")).toBe(base.replace("  labels: [a, b]", "  labels:\n  - c"));
  });

  test("top-level keys: removal of the first line, appending at the end", () => {
    const text = "md5: 1b5bb282b8f8792875e3c4203cfa9c57\nwdir: .\nouts:\n- path: x\n";
    expect(updateYamlText(text, { outs: [{ path: "x" }], frozen: true }, "f")).toBe("outs:\n- path: x\nfrozen: true\n");
  });

  test("a list whose length changed is rewritten whole", () => {
    const text = "outs:\n- path: a  # c\n";
    expect(updateYamlText(text, { outs: [{ path: "a" }, { path: "b" }] }, "f")).toBe("outs:\n- path: a\n- path: b\n");
  });

  test("nested mappings are patched recursively and keep their indentation", () => {
    const text = "a:\n    x: 1   # keep\n    y: 2\nb: 3\n";
    expect(updateYamlText(text, { a: { x: 1, y: 5, z: { q: 1 } }, b: 3 }, "f")).toBe(
      "a:\n    x: 1   # keep\n    y: 5\n    z:\n      q: 1\nb: 3\n",
    );
  });

  test("changed long values are folded like dumpYaml at their column", () => {
    const cmd =
      "python3 -c 'print(1)' && echo this is a very long command line that exceeds eighty characters for sure > out.txt";
    const text = "stages:\n  long:\n    cmd: short\n    deps: []\n";
    expect(updateYamlText(text, { stages: { long: { cmd, deps: [] } } }, "f")).toBe(
      "stages:\n  long:\n    cmd: python3 -c 'print(1)' && echo this is a very long command line that exceeds\n" +
        "      eighty characters for sure > out.txt\n    deps: []\n",
    );
  });

  test("removing the first key of a list item rewrites the enclosing pair", () => {
    const text = "outs:\n- md5: 1b5bb282b8f8792875e3c4203cfa9c57\n  path: x\nother: 1  # kept\n";
    expect(updateYamlText(text, { outs: [{ path: "x" }], other: 1 }, "f")).toBe("outs:\n- path: x\nother: 1  # kept\n");
  });

  test("a file without a final newline gets one before appended keys", () => {
    expect(updateYamlText("a: 1", { a: 1, b: 2 }, "f")).toBe("a: 1\nb: 2\n");
  });

  test("a document that is not a block mapping is written fresh", () => {
    expect(updateYamlText("", { a: 1 }, "f")).toBe("a: 1\n");
    expect(updateYamlText("{a: 1}", { a: 2 }, "f")).toBe("a: 2\n");
  });
});
