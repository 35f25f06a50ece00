// The block-YAML fast path must give exactly what the full parser (`yaml`, core schema, YAML 1.2) gives, with and
// without keepFloats, or decline. Checked on every YAML fixture, on hand-written corner cases, and on generated
// documents.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PyFloat } from "../../../src/util/py-float.js";
import { parseYamlDocument } from "../../../src/util/yaml.js";
import { parseBlockYaml } from "../../../src/util/yaml-block.js";

const FIX = resolve(__dirname, "../../fixtures");

/** The full parser's answer, or "error". */
function full(text: string, keepFloats: boolean): unknown {
  try {
    return parseYamlDocument(text, "t.yaml", { keepFloats }).toJS({ maxAliasCount: 100 });
  } catch {
    return "error";
  }
}

/** Deep equality that tells PyFloat from number, -0 from 0 and NaN from NaN. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof PyFloat || b instanceof PyFloat)
    return a instanceof PyFloat && b instanceof PyFloat && Object.is(a.value, b.value);
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(ra[k], rb[k]));
  }
  return a === b;
}

/** Asserts agreement (or a decline); returns whether the fast path answered. */
function check(text: string): boolean {
  let answered = false;
  for (const keepFloats of [false, true]) {
    const fast = parseBlockYaml(text, keepFloats);
    if (fast === undefined) continue;
    answered = true;
    const want = full(text, keepFloats);
    expect(
      same(fast, want),
      `${keepFloats ? "keepFloats " : ""}${JSON.stringify(text)}\n${JSON.stringify(fast)}\n${JSON.stringify(want)}`,
    ).toBe(true);
  }
  return answered;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.(ya?ml|lock|dvc)$/.test(n) ? [p] : [];
  });
}

describe("parseBlockYaml", () => {
  it("reads every dvc.yaml, dvc.lock, params and pointer fixture exactly like the full parser", () => {
    const files = yamlFiles(FIX);
    expect(files.length).toBeGreaterThan(8);
    const answered = files.filter((f) => check(readFileSync(f, "utf8")));
    // the fast path is what makes reading them cheap: it must answer for the usual files (the pipeline fixture's
    // dvc.yaml has a folded `>-` command and its lock a multi-line quoted one: the full parser reads those)
    expect(answered.map((f) => f.slice(FIX.length + 1))).toEqual(
      expect.arrayContaining([
        "basic-pipeline/dvc.yaml",
        "basic-pipeline/dvc.lock",
        "basic-pipeline/params.yaml",
        "dvc-yaml/basic-dvc.lock",
        "pipeline/params.yaml",
      ]),
    );
  });

  it("agrees on scalars of every core-schema kind, quoting, comments and nesting", () => {
    const docs = [
      "a: 1\nb: -2\nc: +3\nd: 007\ne: 0o17\nf: 0x1F\ng: 1.0\nh: 1e-5\ni: .5\nj: 5.\nk: -.inf\nl: .NaN\nm: 12345678901234567890\n",
      "a: true\nb: False\nc: TRUE\nd: yes\ne: no\nf: on\ng: null\nh: ~\ni:\nj: Null\nk: NULL\nl: nulll\n",
      "a: 'it''s'\nb: \"q \\\" \\\\ \\n \\t \\u00e9\"\nc: '1.0'\nd: \"true\"\ne: plain with spaces   \nf: a#b\ng: a # comment\n",
      "# head\nstages:  # trailing\n  train:\n    cmd: python train.py --lr 0.1 > out.txt | tee x\n    deps:\n    - data\n    - src/train.py\n",
      "outs:\n- path: a\n  cache: false\n  meta:\n    k: [1, 2.5, 'x', \"y\", true, null]\n- b\n-\n  - nested\n",
      "params:\n  - lr\n  - train.json:\n      - lr\n      - opt\n  - cfg.toml:\n  - other.yaml:\n    - k\nempty: []\nnone: {}\n",
      "url: https://example.com/a:b\nwin: C:\\path\\x\nweird key: v\nmodels/${item}.txt: x\ntrain@small: y\n",
      "list: [a, b , c]\nq: ['a, b', \"c]\"]\nn: [ ]\n",
      "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
      "- a\n- b: 1\n  c: 2\n- - x\n",
    ];
    for (const d of docs) check(d);
    expect(check(docs[0]!) && check(docs[4]!) && check(docs[5]!)).toBe(true);
  });

  it("declines what it does not handle (the full parser then decides)", () => {
    const declined = [
      "a: &x 1\nb: *x\n",
      "a: !!float 1\n",
      "a: |\n  text\n",
      "a: >-\n  folded\n",
      "a: {b: 1}\n",
      "a: [1, [2]]\n",
      "a: b\n  continued\n",
      "? complex\n: v\n",
      "a: 1\na: 2\n",
      "1: one\n",
      "true: x\n",
      "a:\tb\n",
      "a: b\r\n",
      "---\na: 1\n",
      "a: 'unterminated\n",
      "a: b: c\n",
      "a: [1, 2,]\n",
      "__proto__: 1\n",
      "<<: {a: 1}\n",
      "  indented: 1\n",
      "a: -\n",
      'a: "\\x41"\n',
    ];
    for (const d of declined) {
      expect(parseBlockYaml(d, false), JSON.stringify(d)).toBeUndefined();
      expect(parseBlockYaml(d, true), JSON.stringify(d)).toBeUndefined();
    }
  });

  it("agrees on generated documents whenever it answers", () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const scalars = [
      "1",
      "-1",
      "1.5",
      "1e3",
      "0.0",
      ".inf",
      "x",
      "a b",
      "'q'",
      '"d"',
      "true",
      "~",
      "",
      "[1, x]",
      "[]",
      "a#b",
      "a #c",
      "0x10",
      "-",
      "- x",
      "x:",
      "007",
    ];
    const keys = ["a", "b.c", "d/e", "f-g", "h_i", "'j k'", '"l"'];
    let answered = 0;
    for (let n = 0; n < 400; n++) {
      const lines: string[] = [];
      const emit = (indent: number, depth: number): void => {
        const count = 1 + rnd(3);
        const asSeq = rnd(3) === 0;
        for (let i = 0; i < count; i++) {
          const pad = " ".repeat(indent);
          const head = asSeq ? `${pad}- ` : `${pad}${keys[rnd(keys.length)]}:`;
          if (depth < 3 && rnd(3) === 0) {
            lines.push(asSeq ? `${pad}-` : head);
            emit(indent + 2 + (asSeq ? 0 : rnd(2) * 2), depth + 1);
          } else lines.push(asSeq ? head + scalars[rnd(scalars.length)] : `${head} ${scalars[rnd(scalars.length)]}`);
        }
      };
      emit(0, 0);
      if (check(lines.join("\n") + "\n")) answered++;
    }
    expect(answered).toBeGreaterThan(40);
  });
});
