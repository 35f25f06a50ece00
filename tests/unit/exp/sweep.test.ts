// Sweep expansion for the queue: the cartesian product of every sweeping -S, the first varying slowest, each
// combination made of single-valued overrides whose arg spells the value.
import { describe, expect, it } from "vitest";
import { parseSetParam } from "../../../src/exp/override-parse.js";
import { expandSweeps } from "../../../src/exp/sweep.js";

const args = (combos: ReturnType<typeof expandSweeps>): string[][] => combos.map((c) => c.map((o) => o.arg));

describe("expandSweeps", () => {
  it("keeps overrides without a sweep as they are (one combination)", () => {
    const o = [parseSetParam("train.lr=0.1"), parseSetParam("~train.momentum")];
    expect(expandSweeps(o)).toEqual([o]);
    expect(expandSweeps([])).toEqual([[]]);
  });

  it("multiplies sweeps in order, the first slowest; values are plain and spelled in arg and text", () => {
    const combos = expandSweeps([parseSetParam("p.json:a=1,2"), parseSetParam("b=x"), parseSetParam("+c=range(0,3)")]);
    expect(args(combos)).toEqual([
      ["p.json:a=1", "b=x", "+c=0"],
      ["p.json:a=1", "b=x", "+c=1"],
      ["p.json:a=1", "b=x", "+c=2"],
      ["p.json:a=2", "b=x", "+c=0"],
      ["p.json:a=2", "b=x", "+c=1"],
      ["p.json:a=2", "b=x", "+c=2"],
    ]);
    expect(combos.every((c) => c.every((o) => o.sweep === undefined))).toBe(true);
    expect(combos[4]!.map((o) => o.value)).toEqual([2, "x", 1]);
    expect(combos[4]![2]).toMatchObject({ kind: "add", key: ["c"], text: "+c=1", file: "params.yaml" });
  });

  it("spells floats, strings, null and lists of a choice() as the override would", () => {
    const combos = expandSweeps([parseSetParam("k=choice(0.5, 1e-3, null, abc, [1,2])")]);
    expect(args(combos)).toEqual([["k=0.5"], ["k=0.001"], ["k=null"], ["k=abc"], ["k=[1,2]"]]);
  });
});
