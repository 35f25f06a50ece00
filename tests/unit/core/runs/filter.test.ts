// The --filter language of `dvx runs list`: what it selects, and where it says a bad expression goes wrong.
import { describe, expect, it } from "vitest";
import { matches, resolvePath } from "../../../../src/core/runs/filter-eval.js";
import { FilterSyntaxError, parseFilter } from "../../../../src/core/runs/filter-parse.js";
import type { RunRecord } from "../../../../src/core/runs/record.js";

function record(over: Partial<RunRecord>): RunRecord {
  return {
    version: 1,
    id: "20260101T000000Z-aaaaaa",
    name: "repro",
    kind: "repro",
    status: "finished",
    started: "2026-01-01T00:00:00.000Z",
    ended: "2026-01-01T00:00:02.500Z",
    durationMs: 2500,
    git: { commit: "a".repeat(40), branch: "main", dirty: false, changed: [] },
    command: "dvx repro",
    user: "u",
    host: "h",
    params: {},
    metrics: {},
    stages: [],
    outputs: {},
    environment: { dvx: "0.1.0", node: "20.0.0", git: "2.39.5", os: "linux", cpus: 2, lockfiles: {} },
    ...over,
  };
}

const runs = [
  record({
    id: "r1",
    name: "lr-small",
    params: { "params.yaml": { train: { lr: 0.001, epochs: 3 } } },
    metrics: { "metrics.json": { acc: 0.95 } },
  }),
  record({
    id: "r2",
    name: "lr-big",
    params: { "params.yaml": { train: { lr: 0.1, epochs: 3 } } },
    metrics: { "metrics.json": { acc: 0.97 } },
  }),
  record({
    id: "r3",
    name: "broken",
    status: "failed",
    git: { commit: null, branch: null, dirty: true, changed: ["x"] },
  }),
  record({
    id: "r4",
    name: "other-files",
    kind: "experiment",
    params: { "conf/p.json": { "model.depth": 8, train: { lr: "0.005" } } },
    metrics: { "eval/m.json": { acc: 0.5 }, "eval/n.json": { loss: 0.2 } },
    durationMs: 120_000,
  }),
];

const select = (expr: string): string[] => {
  const f = parseFilter(expr);
  return runs.filter((r) => matches(f, r)).map((r) => r.id);
};

describe("runs list --filter: selection", () => {
  it("compares metrics and params without naming the file, joined by && and ||", () => {
    expect(select("metrics.acc > 0.9 && params.train.lr < 0.01")).toEqual(["r1"]);
    expect(select("metrics.acc > 0.96 || metrics.loss <= 0.2")).toEqual(["r2", "r4"]);
    expect(select("params.train.epochs == 3")).toEqual(["r1", "r2"]);
  });

  it("names the file when wanted, and keys that contain dots", () => {
    expect(select("params.params.yaml.train.lr == 0.1")).toEqual(["r2"]);
    expect(select("params.model.depth >= 8")).toEqual(["r4"]);
    expect(select("metrics.acc == 0.5 && metrics.loss == 0.2")).toEqual(["r4"]); // two metrics files
  });

  it("string fields, regex match, negation, parentheses, booleans and null", () => {
    expect(select('status == "failed"')).toEqual(["r3"]);
    expect(select("status != 'failed' && !(name ~ \"^lr-\")")).toEqual(["r4"]);
    expect(select('name !~ "lr"')).toEqual(["r3", "r4"]);
    expect(select("git.dirty")).toEqual(["r3"]);
    expect(select("git.dirty == false && kind == 'experiment'")).toEqual(["r4"]);
    expect(select("git.commit == null")).toEqual(["r3"]);
  });

  it("a param written as a string equals the number; ordering a number against a string or null is false", () => {
    expect(select("params.train.lr == 0.005")).toEqual(["r4"]);
    expect(select("metrics.acc > 'a'")).toEqual([]);
    expect(select("metrics.nothing < 1")).toEqual([]);
    expect(select("metrics.nothing == null && metrics.acc == null")).toEqual(["r3"]);
  });

  it("duration is in seconds; numbers may be negative or in exponent form", () => {
    expect(select("duration > 60")).toEqual(["r4"]);
    expect(select("durationMs == 2.5e3 && metrics.acc > -1")).toEqual(["r1", "r2"]);
    expect(resolvePath(runs[3]!, ["duration"])).toBe(120);
  });
});

describe("runs list --filter: bad expressions", () => {
  const error = (expr: string): FilterSyntaxError => {
    try {
      parseFilter(expr);
    } catch (e) {
      if (e instanceof FilterSyntaxError) return e;
      throw e;
    }
    throw new Error(`'${expr}' parsed`);
  };

  it.each([
    ["metrics.acc > && x", 15],
    ["(status == 'failed'", 20],
    ["name == 'open", 9],
    ["a = 1", 3],
    ["a.", 3],
    ["metrics.eval/n.json.loss < 1", 13],
    ["name ~ 3", 6],
    ["name ~ '('", 6],
    ["a == 1 b", 8],
    ["", 1],
  ])("%j: a usage error (exit 2) at column %i", (expr, column) => {
    const e = error(expr);
    expect(e.code).toBe("BAD_FILTER");
    expect(e.exitCode).toBe(2);
    expect(e.details).toMatchObject({ expression: expr, column });
  });

  it("never evaluates code: a function call or property trick is a syntax error", () => {
    expect(error("constructor.constructor('x')()").details?.column).toBe(24);
    expect(select("constructor.name == 'Object'")).toEqual([]);
    expect(select("__proto__ == null")).toEqual(["r1", "r2", "r3", "r4"]);
  });
});
