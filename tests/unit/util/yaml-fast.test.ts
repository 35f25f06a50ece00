import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { parseSimpleYaml } from "../../../src/util/yaml-fast.js";

const YAML = createRequire(import.meta.url)("yaml") as typeof import("yaml");
const full = (t: string): unknown => YAML.parse(t, { version: "1.2", schema: "core" });

describe("fast path for pointer files", () => {
  it("parses what dvc add writes exactly like the full parser", () => {
    const docs = [
      "outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: data.csv\n",
      "outs:\n- md5: 849835d274483dc683eb416d6e4f887d.dir\n  size: 4\n  nfiles: 2\n  hash: md5\n  path: imgs\n",
      "outs:\n- md5: 46bbbe8aa98cc0714426e948474eaaf4\n  size: 18\n  isexec: true\n  hash: md5\n  path: run.sh\n",
      "outs:\n- md5: 2a4195faccb6a772befcb96663ee6baf\n  size: 6\n  path: with space.txt\n",
      "outs:\n- md5: a\n  path: x\n- md5: b\n  path: y\nfrozen: true\n",
    ];
    for (const d of docs) {
      const fast = parseSimpleYaml(d);
      expect(fast).toBeDefined();
      expect(fast).toEqual(full(d));
    }
  });

  it("declines anything it cannot parse exactly, so the full parser decides", () => {
    const tricky = [
      "outs:\n- md5: 1e5\n", // a float
      "outs:\n- path: null\n",
      "outs:\n- path: True\n",
      "outs:\n- path: 'quoted'\n",
      "outs:\n- path: a # comment\n",
      "# comment\nouts:\n- path: a\n",
      "outs:\n- path: a: b\n",
      "outs:\n- path: -dash\n",
      "outs:\n  - path: a\n",
      "outs:\n- path: a\n  meta:\n    k: v\n",
      "outs:\n- path: 0x10\n",
      "outs:\n- size: 007\n",
      "outs:\n- size: 12345678901234567890\n",
      "outs:\n- path: trailing \n",
      "outs: []\n",
      "a: 1\na: 2\n",
      "outs:\r\n- path: a\r\n",
      "outs:\n- path: ~\n",
      "outs:\n- path: .inf\n",
      "outs:\n- path: 1_000\n",
    ];
    for (const d of tricky) expect(parseSimpleYaml(d), d).toBeUndefined();
  });

  it("agrees with the full parser on random plain scalars whenever it answers", () => {
    const alphabet = "ab09._-/ :#eE+xX~TtFfNn";
    let seed = 42;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      const len = 1 + rnd(8);
      let v = "";
      for (let j = 0; j < len; j++) v += alphabet[rnd(alphabet.length)];
      const doc = `outs:\n- path: ${v}\n`;
      const fast = parseSimpleYaml(doc);
      if (fast === undefined) continue;
      answered++;
      let expected: unknown;
      try {
        expected = full(doc);
      } catch {
        throw new Error(`fast path accepted invalid YAML: ${JSON.stringify(doc)}`);
      }
      expect(fast, JSON.stringify(doc)).toEqual(expected);
    }
    expect(answered).toBeGreaterThan(300);
  });
});
