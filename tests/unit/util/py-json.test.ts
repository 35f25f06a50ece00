import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import { compareCodePoints, pyJsonDumps } from "../../../src/util/py-json.js";
import { parseYaml } from "../../../src/util/yaml.js";

const md5 = (s: string): string => createHash("md5").update(s, "utf8").digest("hex");
const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/dvc-yaml/${name}`, import.meta.url), "utf8");

describe("pyJsonDumps: .dir manifests (docs/formats.md §5.3, docs/formats.md §14.2, verified with DVC)", () => {
  test("flat directory", () => {
    const text = pyJsonDumps([
      { md5: "60b725f10c9c85c70d97880dfe8191b3", relpath: "a.txt" },
      { relpath: "b.txt", md5: "3b5d5c3712955042212316173ccf37be" },
    ]);
    expect(text).toBe(
      '[{"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "a.txt"}, {"md5": "3b5d5c3712955042212316173ccf37be", "relpath": "b.txt"}]',
    );
    expect(Buffer.byteLength(text)).toBe(130);
    expect(md5(text)).toBe("6ea46d53348e675e87743182f72de908");
  });

  test("nested directory", () => {
    const text = pyJsonDumps([
      { md5: "60b725f10c9c85c70d97880dfe8191b3", relpath: "a.txt" },
      { md5: "3b5d5c3712955042212316173ccf37be", relpath: "sub/b.txt" },
    ]);
    expect(Buffer.byteLength(text)).toBe(134);
    expect(md5(text)).toBe("849835d274483dc683eb416d6e4f887d");
  });

  test("empty directory", () => {
    expect(pyJsonDumps([])).toBe("[]");
    expect(md5(pyJsonDumps([]))).toBe("d751713988987e9331980363e24189ce");
  });

  test("non-ASCII names are escaped", () => {
    const text = pyJsonDumps([
      { md5: "e734a88a1110fa3d657454b2dd348822", relpath: "Z.txt" },
      { md5: "b938b801a0bfbd5ca4825715039e7574", relpath: "a b.txt" },
      { md5: "e85dde330c34efb0e526ee3082e4353b", relpath: "é.txt" },
    ]);
    expect(text).toBe(
      '[{"md5": "e734a88a1110fa3d657454b2dd348822", "relpath": "Z.txt"}, {"md5": "b938b801a0bfbd5ca4825715039e7574", "relpath": "a b.txt"}, {"md5": "e85dde330c34efb0e526ee3082e4353b", "relpath": "\\u00e9.txt"}]',
    );
    expect(md5(text)).toBe("b1b6750a64a5845aa0313694225aa1f5");
  });
});

describe("pyJsonDumps: stage and run-cache hashes", () => {
  test("import-url stage checksum string (docs/formats.md §2.6)", () => {
    const stage = {
      outs: [{ path: "ext.txt", md5: "b1946ac92492d2347c6235b4d2611184", hash: "md5" }],
      deps: [{ path: "/data/ext.txt", hash: "md5", md5: "b1946ac92492d2347c6235b4d2611184" }],
    };
    const text = pyJsonDumps(stage);
    expect(text).toBe(
      '{"deps": [{"hash": "md5", "md5": "b1946ac92492d2347c6235b4d2611184", "path": "/data/ext.txt"}], "outs": [{"hash": "md5", "md5": "b1946ac92492d2347c6235b4d2611184", "path": "ext.txt"}]}',
    );
    expect(md5(text)).toBe("d33af539839205107fe860f694552b88");
  });

  test("repo-import stage checksum (docs/formats.md §14.3)", () => {
    const stage = {
      deps: [{ path: "data.csv", repo: { url: "/data/repo1", rev_lock: "2b860e3254a3c4c05b589792eca1c3698fa10de0" } }],
      outs: [{ md5: "60b725f10c9c85c70d97880dfe8191b3", hash: "md5", path: "imported.csv" }],
    };
    expect(md5(pyJsonDumps(stage))).toBe("385a242e923e926b4cfb965d88c01ca8");
  });

  test("run-cache value and key of the spec example (docs/formats.md §9.6)", () => {
    const entry = {
      cmd: "cp data.csv prep.txt",
      deps: [{ path: "data.csv", hash: "md5", md5: "60b725f10c9c85c70d97880dfe8191b3" }],
      outs: [{ path: "prep.txt", hash: "md5", md5: "60b725f10c9c85c70d97880dfe8191b3" }],
    };
    const text = pyJsonDumps(entry);
    expect(text).toBe(
      '{"cmd": "cp data.csv prep.txt", "deps": [{"hash": "md5", "md5": "60b725f10c9c85c70d97880dfe8191b3", "path": "data.csv"}], "outs": [{"hash": "md5", "md5": "60b725f10c9c85c70d97880dfe8191b3", "path": "prep.txt"}]}',
    );
    expect(sha256(text)).toBe("35afeba1d1c0dcbe2b5256d4436217f99c03d7b2ddd6ab3ba38ce05d5e65837e");
    expect(sha256(pyJsonDumps({ ...entry, outs: ["prep.txt"] }))).toBe(
      "f118a6be71fcfde5ff41759ea46752e7ea32df59504cac164f786e4069e63b7d",
    );
  });

  // The run-cache paths real DVC created for the pipeline fixture: key/value are sha256 of
  // json.dumps(lock entry without size/nfiles); params_kinds has floats, big ints, bools, null.
  test.each(["params_kinds", "metrics_stage"])("run-cache path of stage %s matches real DVC", (name) => {
    const strip = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(strip)
        : v !== null && typeof v === "object" && !(v instanceof PyFloat)
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([k]) => k !== "size" && k !== "nfiles")
                .map(([k, x]) => [k, strip(x)]),
            )
          : v;
    const lock = parseYaml(fixture("pipeline-dvc.lock"), "dvc.lock", { keepFloats: true }) as {
      stages: Record<string, { outs: Array<{ path: string }> }>;
    };
    const entry = lock.stages[name];
    expect(entry).toBeDefined();
    if (!entry) return;
    const key = sha256(pyJsonDumps(strip({ ...entry, outs: entry.outs.map((o) => o.path) })));
    const value = sha256(pyJsonDumps(strip(entry)));
    const paths = fixture("run-cache-files.txt").trim().split("\n");
    expect(paths).toContain(`runs/${key.slice(0, 2)}/${key}/${value}`);
  });
});

describe("pyJsonDumps: scalars, escaping and ordering", () => {
  test("matches CPython json.dumps(sort_keys=True) byte for byte", () => {
    const value = {
      b: [1, new PyFloat(2), null, true, 'é\u2028😀\x7f"\\/\n\x01'],
      a: { z: 1, Z: 2 },
      "😀": 1,
      "\uffff": 2,
    };
    // python3 -c 'import json; print(json.dumps({...}, sort_keys=True))'
    expect(pyJsonDumps(value)).toBe(
      '{"a": {"Z": 2, "z": 1}, "b": [1, 2.0, null, true, "\\u00e9\\u2028\\ud83d\\ude00\\u007f\\"\\\\/\\n\\u0001"], "\\uffff": 2, "\\ud83d\\ude00": 1}',
    );
  });

  test("numbers: ints decimal, floats as Python repr", () => {
    expect(pyJsonDumps([3, 0.5, new PyFloat(3), 1e-5, new PyFloat(1e20), -0, 12345678901234567890n])).toBe(
      "[3, 0.5, 3.0, 1e-05, 1e+20, 0, 12345678901234567890]",
    );
    expect(pyJsonDumps([NaN, Infinity, -Infinity, new PyFloat(NaN)])).toBe("[NaN, Infinity, -Infinity, NaN]");
  });

  test("short escapes and control characters", () => {
    expect(pyJsonDumps("\b\f\t\r\x1f")).toBe('"\\b\\f\\t\\r\\u001f"');
  });

  test("undefined members are skipped; unsupported values throw", () => {
    expect(pyJsonDumps({ a: undefined, b: false })).toBe('{"b": false}');
    expect(pyJsonDumps({})).toBe("{}");
    expect(() => pyJsonDumps({ f: () => 1 })).toThrow(TypeError);
  });

  test("compareCodePoints orders astral characters after U+FFFF like Python", () => {
    expect(compareCodePoints("😀", "\uffff")).toBeGreaterThan(0);
    expect("😀" < "\uffff").toBe(true); // UTF-16 order differs
    expect(compareCodePoints("Z", "a")).toBeLessThan(0);
    expect(compareCodePoints("ab", "a")).toBeGreaterThan(0);
    expect(compareCodePoints("a", "a")).toBe(0);
  });
});
