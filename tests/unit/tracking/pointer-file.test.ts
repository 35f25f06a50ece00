import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { PointerFileError, UnsafePathError } from "../../../src/errors.js";
import {
  computeStageMd5,
  parsePointerFile,
  serializeNewPointerFile,
  updatePointerFileText,
  type PointerOut,
} from "../../../src/tracking/pointer-file.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/dvc-yaml/${name}`, import.meta.url), "utf8");

const out = (o: Partial<PointerOut> & { path: string }): PointerOut => ({ cache: true, push: true, extra: {}, ...o });
const md5 = (value: string): PointerOut["hash"] => ({ name: "md5", value });

const IMPORT_URL = `md5: d33af539839205107fe860f694552b88
frozen: true
deps:
- md5: b1946ac92492d2347c6235b4d2611184
  size: 6
  hash: md5
  path: /data/ext.txt
outs:
- md5: b1946ac92492d2347c6235b4d2611184
  size: 6
  hash: md5
  path: ext.txt
`;

const REPO_IMPORT = `md5: 385a242e923e926b4cfb965d88c01ca8
frozen: true
deps:
- path: data.csv
  repo:
    url: /data/repo1
    rev_lock: 2b860e3254a3c4c05b589792eca1c3698fa10de0
outs:
- md5: 60b725f10c9c85c70d97880dfe8191b3
  size: 2
  hash: md5
  path: imported.csv
`;

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

describe("serializeNewPointerFile (docs/formats.md §2.3, §2.6 vectors)", () => {
  test.each([
    [
      "file",
      [out({ path: "data.csv", hash: md5("60b725f10c9c85c70d97880dfe8191b3"), size: 2 })],
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: data.csv\n",
    ],
    [
      "directory",
      [out({ path: "imgs", hash: md5("849835d274483dc683eb416d6e4f887d.dir"), size: 4, nfiles: 2 })],
      "outs:\n- md5: 849835d274483dc683eb416d6e4f887d.dir\n  size: 4\n  nfiles: 2\n  hash: md5\n  path: imgs\n",
    ],
    [
      "executable",
      [out({ path: "run.sh", hash: md5("46bbbe8aa98cc0714426e948474eaaf4"), size: 18, isexec: true })],
      "outs:\n- md5: 46bbbe8aa98cc0714426e948474eaaf4\n  size: 18\n  isexec: true\n  hash: md5\n  path: run.sh\n",
    ],
    [
      "empty directory",
      [out({ path: "emptydir", hash: md5("d751713988987e9331980363e24189ce.dir"), size: 0, nfiles: 0 })],
      "outs:\n- md5: d751713988987e9331980363e24189ce.dir\n  size: 0\n  nfiles: 0\n  hash: md5\n  path: emptydir\n",
    ],
  ])("%s", (_name, outs, expected) => {
    expect(serializeNewPointerFile(outs)).toBe(expected);
  });

  test("the basic fixture's .dvc files written by DVC", () => {
    for (const name of ["basic-images.dvc", "basic-data.csv.dvc"]) {
      const text = fixture(name);
      expect(serializeNewPointerFile(parsePointerFile(text, name).outs)).toBe(text);
    }
  });

  test("isexec false is not written", () => {
    const text = serializeNewPointerFile([
      out({ path: "a", hash: md5("60b725f10c9c85c70d97880dfe8191b3"), size: 2, isexec: false }),
    ]);
    expect(text).not.toContain("isexec");
  });

  test("every optional key in DVC's order; flags only when not the default", () => {
    const o = out({
      path: "data",
      hash: md5("60b725f10c9c85c70d97880dfe8191b3"),
      size: 2,
      nfiles: 1,
      isexec: true,
      cache: false,
      persist: true,
      remote: "myremote",
      push: false,
      extra: {
        files: [{ relpath: "a" }],
        meta: { owner: "me" },
        labels: ["x", "y"],
        type: "model",
        desc: "the data",
        fs_config: { k: "v" },
        cloud: { myremote: { etag: "e1" } },
      },
    });
    expect(serializeNewPointerFile([o], { desc: "top" })).toBe(
      [
        "desc: top",
        "outs:",
        "- md5: 60b725f10c9c85c70d97880dfe8191b3",
        "  size: 2",
        "  nfiles: 1",
        "  isexec: true",
        "  cloud:",
        "    myremote:",
        "      etag: e1",
        "  hash: md5",
        "  path: data",
        "  fs_config:",
        "    k: v",
        "  desc: the data",
        "  type: model",
        "  labels:",
        "  - x",
        "  - y",
        "  meta:",
        "    owner: me",
        "  cache: false",
        "  persist: true",
        "  remote: myremote",
        "  push: false",
        "  files:",
        "  - relpath: a",
        "",
      ].join("\n"),
    );
  });

  test("legacy (DVC 2) outputs are written without `hash`", () => {
    const o = out({
      path: "crlf.txt",
      hash: { name: "md5-dos2unix", value: "1b5bb282b8f8792875e3c4203cfa9c57" },
      size: 6,
    });
    expect(serializeNewPointerFile([o])).toBe(
      "outs:\n- md5: 1b5bb282b8f8792875e3c4203cfa9c57\n  size: 6\n  path: crlf.txt\n",
    );
  });

  test("an output without a hash yet is still a DVC 3 entry", () => {
    expect(serializeNewPointerFile([out({ path: "x" })])).toBe("outs:\n- hash: md5\n  path: x\n");
  });

  test("imports: stage checksum computed from deps and outs", () => {
    for (const text of [IMPORT_URL, REPO_IMPORT]) {
      const pf = parsePointerFile(text, "imp.dvc");
      expect(serializeNewPointerFile(pf.outs, { deps: pf.deps, frozen: true })).toBe(text);
    }
  });

  test("computeStageMd5 ignores annotations, sizes and wdir '.' (§2.6)", () => {
    const state = {
      md5: "ignored",
      desc: "ignored",
      wdir: ".",
      frozen: true,
      deps: [{ md5: "b1946ac92492d2347c6235b4d2611184", size: 6, hash: "md5", path: "/data/ext.txt" }],
      outs: [
        { md5: "b1946ac92492d2347c6235b4d2611184", size: 6, isexec: true, hash: "md5", path: "ext.txt", desc: "x" },
      ],
    };
    expect(computeStageMd5(state)).toBe("d33af539839205107fe860f694552b88");
  });
});

describe("parsePointerFile", () => {
  test("a DVC 3 file", () => {
    const pf = parsePointerFile(fixture("basic-images.dvc"), "images.dvc");
    expect(pf.outs).toEqual([
      {
        path: "images",
        hash: md5("8e2e97b82e4b268e6a30968b26ef632a.dir"),
        size: 31,
        nfiles: 5,
        cache: true,
        push: true,
        extra: {},
      },
    ]);
    expect(pf.deps).toEqual([]);
    expect(pf.md5).toBeUndefined();
  });

  test("a legacy entry and flags", () => {
    const text =
      "desc: top\nmeta: {a: 1}\nouts:\n- md5: 1B5BB282B8F8792875E3C4203CFA9C57\n  size: 6\n  isexec: false\n  path: sub/crlf.txt\n" +
      "  cache: false\n  push: false\n  persist: true\n  remote: r\n  desc: d\n  labels: [x]\n";
    const pf = parsePointerFile(text, "crlf.txt.dvc");
    expect(pf.desc).toBe("top");
    expect(pf.meta).toEqual({ a: 1 });
    expect(pf.outs[0]).toEqual({
      path: "sub/crlf.txt",
      hash: { name: "md5-dos2unix", value: "1b5bb282b8f8792875e3c4203cfa9c57" },
      size: 6,
      isexec: false,
      cache: false,
      push: false,
      persist: true,
      remote: "r",
      extra: { desc: "d", labels: ["x"] },
    });
  });

  test("imports: deps, stage md5, frozen (also from legacy `locked`)", () => {
    const pf = parsePointerFile(REPO_IMPORT, "imported.csv.dvc");
    expect(pf.md5).toBe("385a242e923e926b4cfb965d88c01ca8");
    expect(pf.frozen).toBe(true);
    expect(pf.deps).toHaveLength(1);
    expect(parsePointerFile("locked: true\nouts: []\n", "x.dvc").frozen).toBe(true);
  });

  test("entries without md5 yet, empty outs and empty files parse", () => {
    expect(parsePointerFile("outs:\n- hash: md5\n  path: x\n", "x.dvc").outs[0]?.hash).toBeUndefined();
    expect(parsePointerFile("outs:\n- md5:\n  path: x\n", "x.dvc").outs[0]?.hash).toBeUndefined();
    expect(parsePointerFile("outs: []\n", "x.dvc").outs).toEqual([]);
    expect(parsePointerFile("outs:\n", "x.dvc").outs).toEqual([]);
    expect(parsePointerFile("", "x.dvc").outs).toEqual([]);
  });

  test.each([
    ["cmd: echo hi\nouts: []\n", "cmd"],
    ["foo: 1\n", "unknown top-level key"],
    ["outs:\n- path: x\n  metric: true\n", "metric on an output"],
    ["outs:\n- path: x\n  plot: true\n", "plot on an output"],
    ["outs:\n- path: x\n  bogus: 1\n", "unknown output key"],
    ["outs:\n- md5: abc\n  path: x\n", "short md5"],
    ["outs:\n- md5: 60b725f10c9c85c70d97880dfe8191bz\n  path: x\n", "non-hex md5"],
    ["md5: nope\nouts: []\n", "bad stage md5"],
    ["outs:\n- size: 1\n", "missing path"],
    ["outs:\n- path: 5\n", "non-string path"],
    ["outs:\n- path: x\n  size: -1\n", "negative size"],
    ["outs:\n- path: x\n  size: 1.0\n", "float size"],
    ["outs:\n- path: x\n  isexec: 'yes'\n", "string isexec"],
    ["outs:\n- path: x\n  hash: sha256\n", "unknown hash"],
    ["outs:\n- path: x\n  labels: [1]\n", "non-string labels"],
    ["outs: x\n", "outs not a list"],
    ["outs:\n- x\n", "output not a mapping"],
    ["deps: [1]\nouts: []\n", "deps without path"],
    ["- a\n", "top level not a mapping"],
    ["outs:\n- path: x\n  path: y\n", "duplicate key"],
  ])("%j is refused (%s)", (text) => {
    const err = errorOf(() => parsePointerFile(text, "bad.dvc"));
    expect(err).toBeInstanceOf(PointerFileError);
    expect((err as PointerFileError).code).toBe("BAD_POINTER_FILE");
    expect((err as PointerFileError).details?.file).toBe("bad.dvc");
  });

  test("YAML syntax errors name the line", () => {
    const err = errorOf(() => parsePointerFile("outs:\n- md5: [1, 2\n  path: x\n", "bad.dvc")) as PointerFileError;
    expect(err).toBeInstanceOf(PointerFileError);
    expect(String(err.details?.reason)).toMatch(/^line \d+: /);
  });

  test.each([
    "../x",
    "a/../../b",
    "..",
    "/etc/passwd",
    "C:\\data",
    "\\\\server\\share",
    "",
    "s3://bucket/key",
    "a\\..\\b",
  ])("unsafe output path %j", (path) => {
    const err = errorOf(() => parsePointerFile(`outs:\n- path: ${JSON.stringify(path)}\n`, "bad.dvc"));
    expect(err).toBeInstanceOf(UnsafePathError);
    expect((err as UnsafePathError).code).toBe("UNSAFE_PATH");
    expect((err as UnsafePathError).details).toEqual({ path, source: "bad.dvc" });
  });

  test("absolute dep paths of imports are accepted", () => {
    expect(parsePointerFile(IMPORT_URL, "ext.txt.dvc").deps).toHaveLength(1);
  });
});

describe("updatePointerFileText (docs/formats.md §2.4)", () => {
  const LEGACY = "outs:\n- md5: 1b5bb282b8f8792875e3c4203cfa9c57\n  size: 6\n  path: crlf.txt\n";

  test("a DVC 2 file re-saved after its data changed gets `hash: md5` appended", () => {
    const o = out({ path: "crlf.txt", hash: md5("2a4195faccb6a772befcb96663ee6baf"), size: 6 });
    expect(updatePointerFileText(LEGACY, [o], "crlf.txt.dvc")).toBe(
      "outs:\n- md5: 2a4195faccb6a772befcb96663ee6baf\n  size: 6\n  path: crlf.txt\n  hash: md5\n",
    );
  });

  test("unchanged outputs give identical bytes (also for imports and legacy entries)", () => {
    for (const text of [LEGACY, IMPORT_URL, REPO_IMPORT, fixture("basic-images.dvc")]) {
      expect(updatePointerFileText(text, parsePointerFile(text, "f.dvc").outs, "f.dvc")).toBe(text);
    }
  });

  test("comments, key order and annotations are kept; changed values replaced", () => {
    const text = [
      "# tracked by dvx",
      "outs:",
      "- path: images  # the pictures",
      "  desc: holiday photos",
      "  md5: 8e2e97b82e4b268e6a30968b26ef632a.dir",
      "  size: 31",
      "  nfiles: 5",
      "  hash: md5",
      "",
    ].join("\n");
    const pf = parsePointerFile(text, "images.dvc");
    const first = pf.outs[0];
    expect(first).toBeDefined();
    if (!first) return;
    const updated = updatePointerFileText(
      text,
      [{ ...first, hash: md5("849835d274483dc683eb416d6e4f887d.dir"), size: 4, nfiles: 2 }],
      "images.dvc",
    );
    expect(updated).toBe(
      text
        .replace("8e2e97b82e4b268e6a30968b26ef632a", "849835d274483dc683eb416d6e4f887d")
        .replace("size: 31", "size: 4")
        .replace("nfiles: 5", "nfiles: 2"),
    );
  });

  test("a directory that became a file loses nfiles; a file that became a directory gains it at the end", () => {
    const dir = fixture("basic-images.dvc");
    const asFile = out({ path: "images", hash: md5("60b725f10c9c85c70d97880dfe8191b3"), size: 2 });
    expect(updatePointerFileText(dir, [asFile], "images.dvc")).toBe(
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: images\n",
    );
    const file = fixture("basic-data.csv.dvc");
    const asDir = out({
      path: "data.csv",
      hash: md5("849835d274483dc683eb416d6e4f887d.dir"),
      size: 4,
      nfiles: 2,
      isexec: true,
    });
    expect(updatePointerFileText(file, [asDir], "data.csv.dvc")).toBe(
      "outs:\n- md5: 849835d274483dc683eb416d6e4f887d.dir\n  size: 4\n  hash: md5\n  path: data.csv\n  nfiles: 2\n  isexec: true\n",
    );
  });

  test("a legacy top-level md5 and `wdir: .` of a plain add file are dropped", () => {
    const text =
      "md5: 0123456789abcdef0123456789abcdef\nwdir: .\nouts:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: a\n";
    const pf = parsePointerFile(text, "a.dvc");
    expect(updatePointerFileText(text, pf.outs, "a.dvc")).toBe(
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: a\n",
    );
  });

  test("a non-default wdir, top-level desc and meta survive", () => {
    const text =
      "desc: mine\nwdir: ../data\nouts:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: a\nmeta:\n  owner: me\n";
    const pf = parsePointerFile(text, "a.dvc");
    expect(updatePointerFileText(text, pf.outs, "a.dvc")).toBe(text);
  });

  test("an import's stage checksum follows its outputs", () => {
    const pf = parsePointerFile(IMPORT_URL, "ext.txt.dvc");
    const first = pf.outs[0];
    if (!first) throw new Error("no out");
    const changed = { ...first, hash: md5("60b725f10c9c85c70d97880dfe8191b3"), size: 2 };
    const text = updatePointerFileText(IMPORT_URL, [changed], "ext.txt.dvc");
    const expectedMd5 = computeStageMd5({
      frozen: true,
      deps: pf.deps,
      outs: [{ md5: "60b725f10c9c85c70d97880dfe8191b3", size: 2, hash: "md5", path: "ext.txt" }],
    });
    expect(expectedMd5).not.toBe("d33af539839205107fe860f694552b88");
    expect(text).toBe(
      IMPORT_URL.replace("d33af539839205107fe860f694552b88", expectedMd5).replace(
        "- md5: b1946ac92492d2347c6235b4d2611184\n  size: 6\n  hash: md5\n  path: ext.txt",
        "- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: ext.txt",
      ),
    );
  });

  test("legacy `locked` becomes `frozen`", () => {
    const text = "locked: true\nouts:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: a\n";
    const pf = parsePointerFile(text, "a.dvc");
    expect(updatePointerFileText(text, pf.outs, "a.dvc")).toBe(
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: a\nfrozen: true\n",
    );
  });

  test("a second output rewrites the outs list in canonical form", () => {
    const a = out({ path: "a", hash: md5("60b725f10c9c85c70d97880dfe8191b3"), size: 2 });
    const b = out({ path: "b", hash: md5("3b5d5c3712955042212316173ccf37be"), size: 2 });
    const text = "outs:  # mine\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: a\n";
    expect(updatePointerFileText(text, [a, b], "a.dvc")).toBe(
      `outs:  # mine\n${serializeNewPointerFile([a, b]).slice("outs:\n".length)}`,
    );
  });

  test("invalid old text is refused like parsePointerFile", () => {
    expect(() => updatePointerFileText("cmd: x\n", [], "a.dvc")).toThrow(PointerFileError);
  });
});
