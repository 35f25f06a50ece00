// A stage's dvc.lock entry as DVC writes it (src/pipeline/lock-entry.ts, docs/formats.md §9.1), and the
// run-cache key and value of an entry (§9.6) against files real DVC wrote.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  lockEntry,
  runCacheEligible,
  runCacheKey,
  runCacheValue,
  type LockEntryData,
} from "../../../src/pipeline/lock-entry.js";
import { parseLockFile } from "../../../src/pipeline/lockfile.js";
import type { Stage, StageOut } from "../../../src/pipeline/types.js";
import { PyFloat } from "../../../src/util/py-float.js";
import { dumpYaml, dumpYamlPair } from "../../../src/util/yaml-dump.js";
import { parseYaml } from "../../../src/util/yaml.js";

const FIX = resolve(__dirname, "../../fixtures/pipeline");

describe("lockEntry", () => {
  it("orders keys cmd, deps, params, outs and sorts deps and outs by path (code points)", () => {
    const e = lockEntry(
      "python train.py",
      [
        { path: "src/train.py", md5: "b".repeat(32), size: 2 },
        { path: "data/Z.csv", md5: "c".repeat(32), size: 3 },
        { path: "data/a.csv", md5: "d".repeat(32), size: 4 },
      ],
      [{ decl: "params.yaml", values: { lr: 0.1 } }],
      [
        { path: "model.pkl", md5: "e".repeat(32), size: 5 },
        { path: "eval", md5: `${"f".repeat(32)}.dir`, size: 6, nfiles: 2 },
      ],
    );
    expect(Object.keys(e)).toEqual(["cmd", "deps", "params", "outs"]);
    expect((e.deps as Array<{ path: string }>).map((d) => d.path)).toEqual([
      "data/Z.csv",
      "data/a.csv",
      "src/train.py",
    ]);
    expect((e.outs as Array<{ path: string }>).map((d) => d.path)).toEqual(["eval", "model.pkl"]);
  });

  it("orders item keys path, hash, md5, size, nfiles, isexec and writes isexec only when true", () => {
    const e = lockEntry(
      "x",
      [
        { path: "run.sh", md5: "a".repeat(32), size: 10, isexec: true },
        { path: "z.txt", md5: "b".repeat(32), size: 1, isexec: false },
      ],
      [],
      [{ path: "dir", md5: `${"c".repeat(32)}.dir`, size: 9, nfiles: 3 }],
    );
    const deps = e.deps as Array<Record<string, unknown>>;
    expect(Object.keys(deps[0]!)).toEqual(["path", "hash", "md5", "size", "isexec"]);
    expect(Object.keys(deps[1]!)).toEqual(["path", "hash", "md5", "size"]);
    expect(Object.keys((e.outs as Array<Record<string, unknown>>)[0]!)).toEqual([
      "path",
      "hash",
      "md5",
      "size",
      "nfiles",
    ]);
    expect(deps[0]!.hash).toBe("md5");
  });

  it("writes legacy (DVC 2) items without hash", () => {
    const e = lockEntry("x", [{ path: "old.csv", md5: "a".repeat(32), size: 1, legacy: true }], [], []);
    expect(e.deps).toEqual([{ path: "old.csv", md5: "a".repeat(32), size: 1 }]);
  });

  it("leaves out empty sections and keeps a list cmd", () => {
    expect(lockEntry(["a", "b"], [], [], [])).toEqual({ cmd: ["a", "b"] });
  });

  it("puts params.yaml first, then the other files by path, each file's keys sorted", () => {
    const e = lockEntry(
      "x",
      [],
      [
        { decl: "z.json", values: { b: 1, a: 2 } },
        { decl: "cfg.toml", values: { model: { depth: 4 } } },
        { decl: "params.yaml", values: { "train.lr": 0.1, epochs: 3, Zeta: 1 } },
      ],
      [],
    );
    const p = e.params as Record<string, Record<string, unknown>>;
    expect(Object.keys(p)).toEqual(["params.yaml", "cfg.toml", "z.json"]);
    expect(Object.keys(p["params.yaml"]!)).toEqual(["Zeta", "epochs", "train.lr"]);
    expect(Object.keys(p["z.json"]!)).toEqual(["a", "b"]);
  });

  it("dumps byte for byte what DVC wrote for the fixture stages", () => {
    // DVC's dvc.lock entries re-made from their own data: key order, floats (1e-05, 3.0), nested params
    const text = readFileSync(join(FIX, "dvc.lock"), "utf8");
    const data = parseYaml(text, "dvc.lock", { keepFloats: true }) as { stages: Record<string, LockEntryData> };
    const lock = parseLockFile(text, "dvc.lock");
    let rebuilt = "schema: '2.0'\nstages:\n";
    for (const [name, raw] of Object.entries(data.stages)) {
      const entry = lock.stages.get(name)!;
      const item = (i: (typeof entry.deps)[number]) => ({
        path: i.path,
        md5: i.md5!,
        size: i.size!,
        ...(i.nfiles !== undefined ? { nfiles: i.nfiles } : {}),
        ...(i.isexec ? { isexec: true } : {}),
      });
      const params = Object.entries((raw.params as Record<string, Record<string, unknown>>) ?? {}).map(
        ([decl, values]) => ({ decl, values }),
      );
      rebuilt += `  ${dumpYamlPair(name, lockEntry(entry.cmd, entry.deps.map(item), params.reverse(), entry.outs.map(item)), 2)}`;
    }
    expect(rebuilt).toBe(text);
  });
});

describe("run cache", () => {
  const sample = (): LockEntryData =>
    parseYaml(readFileSync(join(FIX, "run-cache-sample.yaml"), "utf8"), "sample", {
      keepFloats: true,
    }) as LockEntryData;

  it("gives the key and value of the entry DVC stored (tests/fixtures/pipeline/run-cache-sample.*)", () => {
    const path = readFileSync(join(FIX, "run-cache-sample.path"), "utf8").trim();
    const [, kk, key, value] = /^runs\/([0-9a-f]{2})\/([0-9a-f]{64})\/([0-9a-f]{64})$/.exec(path)!;
    const entry = sample();
    expect(runCacheKey(entry)).toBe(key);
    expect(runCacheKey(entry).slice(0, 2)).toBe(kk);
    expect(runCacheValue(entry)).toBe(value);
  });

  it("ignores size and nfiles, and output hashes for the key only", () => {
    const entry = sample();
    const outs = entry.outs as Array<Record<string, unknown>>;
    const resized = { ...entry, outs: outs.map((o) => ({ ...o, size: 999, nfiles: 3 })) };
    expect(runCacheValue(resized)).toBe(runCacheValue(entry));
    const rehashed = { ...entry, outs: outs.map((o) => ({ ...o, md5: "0".repeat(32) })) };
    expect(runCacheKey(rehashed)).toBe(runCacheKey(entry));
    expect(runCacheValue(rehashed)).not.toBe(runCacheValue(entry));
    expect(runCacheKey({ ...entry, cmd: "other" })).not.toBe(runCacheKey(entry));
  });

  it("gives the path of the docs/formats.md §9.6 example (cp data.csv prep.txt)", () => {
    const md5 = "60b725f10c9c85c70d97880dfe8191b3"; // "a\n"
    const entry = lockEntry(
      "cp data.csv prep.txt",
      [{ path: "data.csv", md5, size: 2 }],
      [],
      [{ path: "prep.txt", md5, size: 2 }],
    );
    expect(runCacheKey(entry)).toBe("f118a6be71fcfde5ff41759ea46752e7ea32df59504cac164f786e4069e63b7d");
    expect(runCacheValue(entry)).toBe("35afeba1d1c0dcbe2b5256d4436217f99c03d7b2ddd6ab3ba38ce05d5e65837e");
    // the file holds the entry as dvc.lock would
    expect(dumpYaml(entry)).toBe(
      "cmd: cp data.csv prep.txt\ndeps:\n- path: data.csv\n  hash: md5\n  md5: 60b725f10c9c85c70d97880dfe8191b3\n" +
        "  size: 2\nouts:\n- path: prep.txt\n  hash: md5\n  md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n",
    );
  });

  it("keeps params floats as floats in the key (lr: 1.0 is not lr: 1 for json.dumps)", () => {
    const base = (lr: unknown): LockEntryData =>
      lockEntry("x", [{ path: "a", md5: "a".repeat(32), size: 1 }], [{ decl: "params.yaml", values: { lr } }], []);
    expect(runCacheKey(base(new PyFloat(1)))).not.toBe(runCacheKey(base(1)));
  });

  describe("eligibility (DVC's _can_cache)", () => {
    const out = (o: Partial<StageOut> = {}): StageOut => ({
      path: "o",
      decl: "o",
      cache: true,
      persist: false,
      push: true,
      kind: "outs",
      extra: {},
      ...o,
    });
    const st = (over: Partial<Stage> = {}): Stage => ({
      name: "s",
      file: "dvc.yaml",
      address: "s",
      cmd: "c",
      wdir: "",
      deps: [{ path: "d", decl: "d" }],
      params: [],
      outs: [out()],
      frozen: false,
      alwaysChanged: false,
      ...over,
    });
    it("accepts a plain stage, also with only params as inputs and uncached metrics", () => {
      expect(runCacheEligible(st())).toBe(true);
      expect(runCacheEligible(st({ deps: [], params: [{ file: "p.yaml", decl: "p.yaml", keys: ["a"] }] }))).toBe(true);
      expect(runCacheEligible(st({ outs: [out(), out({ path: "m", kind: "metrics", cache: false })] }))).toBe(true);
    });
    it("refuses stages without deps or outs, always changed, with persistent outs or uncached plain outs", () => {
      expect(runCacheEligible(st({ deps: [] }))).toBe(false);
      expect(runCacheEligible(st({ outs: [] }))).toBe(false);
      expect(runCacheEligible(st({ alwaysChanged: true }))).toBe(false);
      expect(runCacheEligible(st({ outs: [out({ persist: true })] }))).toBe(false);
      expect(runCacheEligible(st({ outs: [out({ cache: false })] }))).toBe(false);
    });
  });
});
