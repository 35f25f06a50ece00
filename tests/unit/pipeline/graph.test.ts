// The pipeline DAG (src/pipeline/graph.ts): which edges outs → deps make, which output layouts are refused,
// how a cycle is named, and which nodes a repro plan visits in which order.
import { describe, expect, it } from "vitest";
import type { AppError } from "../../../src/errors.js";
import { buildGraph, components, planSteps, type GraphNode } from "../../../src/pipeline/graph.js";

const stage = (id: string, deps: string[], outs: string[]): GraphNode => ({ id, kind: "stage", deps, outs });

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error("expected a failure");
}

describe("edges", () => {
  it("links a dependency to the stage whose output is that path", () => {
    const g = buildGraph([stage("prep", ["raw.csv"], ["prep.csv"]), stage("train", ["prep.csv"], ["model"])]);
    expect(g.upstream.get("train")).toEqual(["prep"]);
    expect(g.upstream.get("prep")).toEqual([]);
    expect(g.downstream.get("prep")).toEqual(["train"]);
    expect(g.producers.get("prep.csv")).toBe("prep");
  });

  it("links a dependency inside a directory output to the stage producing the directory", () => {
    const g = buildGraph([stage("split", [], ["data/split"]), stage("use", ["data/split/train/a.csv"], ["x"])]);
    expect(g.upstream.get("use")).toEqual(["split"]);
  });

  it("links a dependency on a directory to every stage producing an output inside it", () => {
    const g = buildGraph([
      stage("one", [], ["results/one.txt"]),
      stage("two", [], ["results/sub/two.txt"]),
      stage("other", [], ["resultsX/three.txt"]),
      stage("sum", ["results"], ["sum.txt"]),
    ]);
    expect(g.upstream.get("sum")).toEqual(["one", "two"]);
    expect(g.downstream.get("other")).toEqual([]);
  });

  it("lists each upstream node once, in the order of the deps", () => {
    const g = buildGraph([
      stage("a", [], ["a/x", "a/y"]),
      stage("b", [], ["b.txt"]),
      stage("c", ["b.txt", "a/x", "a", "a/y"], ["c.txt"]),
    ]);
    expect(g.upstream.get("c")).toEqual(["b", "a"]);
  });

  it("treats a .dvc file as a source node", () => {
    const g = buildGraph([{ id: "data.dvc", kind: "pointer", deps: [], outs: ["data"] }, stage("s", ["data"], ["o"])]);
    expect(g.upstream.get("s")).toEqual(["data.dvc"]);
  });

  it("splits the graph into pipelines (weakly connected components) in node order", () => {
    const g = buildGraph([
      stage("a", [], ["a.txt"]),
      stage("x", [], ["x.txt"]),
      stage("b", ["a.txt"], ["b.txt"]),
      stage("y", ["x.txt"], []),
    ]);
    expect(components(g)).toEqual([
      ["a", "b"],
      ["x", "y"],
    ]);
  });
});

describe("output conflicts", () => {
  it("refuses two stages with the same output, naming both", () => {
    const err = thrown(() => buildGraph([stage("a", [], ["out.txt"]), stage("b", [], ["out.txt"])]));
    expect(err.code).toBe("OUTPUT_DUPLICATE");
    expect(err.exitCode).toBe(6);
    expect(err.details).toEqual({ path: "out.txt", owners: ["a", "b"] });
    expect(err.hint).toBeTruthy();
  });

  it("refuses a .dvc file and a stage with the same output", () => {
    const err = thrown(() =>
      buildGraph([{ id: "data.dvc", kind: "pointer", deps: [], outs: ["data"] }, stage("s", [], ["data"])]),
    );
    expect(err.code).toBe("OUTPUT_DUPLICATE");
  });

  it("refuses an output inside another stage's output", () => {
    const err = thrown(() => buildGraph([stage("a", [], ["d"]), stage("b", [], ["d/sub/y.txt"])]));
    expect(err.code).toBe("OUTPUT_OVERLAP");
    expect(err.exitCode).toBe(6);
    expect(err.details).toEqual({ outer: "d", outerOwner: "a", inner: "d/sub/y.txt", innerOwner: "b" });
  });

  it("refuses overlapping outputs of one stage", () => {
    expect(thrown(() => buildGraph([stage("a", [], ["d", "d/x"])])).code).toBe("OUTPUT_OVERLAP");
  });

  it("accepts outputs that only share a name prefix", () => {
    const g = buildGraph([stage("a", [], ["d"]), stage("b", [], ["d.txt", "dd/x"])]);
    expect(g.producers.size).toBe(3);
  });
});

describe("cycles", () => {
  it("names a two-stage cycle in run order", () => {
    const err = thrown(() => buildGraph([stage("a", ["b.txt"], ["a.txt"]), stage("b", ["a.txt"], ["b.txt"])]));
    expect(err.code).toBe("PIPELINE_CYCLE");
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain("a -> b -> a");
    expect(err.details).toEqual({ cycle: ["a", "b", "a"] });
    expect(err.hint).toBeTruthy();
  });

  it("names a longer cycle in run order (each stage needs the one before it)", () => {
    const err = thrown(() =>
      buildGraph([
        stage("a", ["c.txt"], ["a.txt"]),
        stage("b", ["a.txt"], ["b.txt"]),
        stage("c", ["b.txt"], ["c.txt"]),
        stage("free", [], ["free.txt"]),
      ]),
    );
    expect(err.details).toEqual({ cycle: ["a", "b", "c", "a"] });
    expect(err.message).toContain("a -> b -> c -> a");
  });

  it("names a stage that depends on its own output", () => {
    const err = thrown(() => buildGraph([stage("ok", [], ["ok.txt"]), stage("self", ["d/x"], ["d"])]));
    expect(err.code).toBe("PIPELINE_CYCLE");
    expect(err.message).toContain("self -> self");
  });

  it("finds a cycle that is reached only through other stages", () => {
    const err = thrown(() =>
      buildGraph([
        stage("top", ["x.txt"], ["top.txt"]),
        stage("x", ["y.txt"], ["x.txt"]),
        stage("y", ["x.txt"], ["y.txt"]),
      ]),
    );
    expect((err.details as { cycle: string[] }).cycle).toEqual(["x", "y", "x"]);
  });
});

describe("planSteps", () => {
  // raw → prep → train → eval, prep → report; other is a separate pipeline
  const g = buildGraph([
    stage("prep", ["raw.csv"], ["prep.csv"]),
    stage("train", ["prep.csv"], ["model"]),
    stage("eval", ["model", "prep.csv"], ["eval"]),
    stage("report", ["prep.csv"], ["report.md"]),
    stage("other", [], ["other.txt"]),
  ]);

  it("visits a target after everything it needs", () => {
    expect(planSteps(g, ["eval"])).toEqual(["prep", "train", "eval"]);
    expect(planSteps(g, ["report", "eval"])).toEqual(["prep", "report", "train", "eval"]);
  });

  it("visits each node once for overlapping targets", () => {
    expect(planSteps(g, ["train", "eval", "train"])).toEqual(["prep", "train", "eval"]);
  });

  it("visits every node of the project for all targets", () => {
    const all = planSteps(
      g,
      g.nodes.map((n) => n.id),
    );
    expect([...all].sort()).toEqual(["eval", "other", "prep", "report", "train"]);
    expect(all.indexOf("prep")).toBeLessThan(all.indexOf("train"));
    expect(all.indexOf("train")).toBeLessThan(all.indexOf("eval"));
  });

  it("with single, visits only the targets", () => {
    expect(planSteps(g, ["eval", "train", "eval"], { single: true })).toEqual(["eval", "train"]);
  });

  it("with downstream, visits the targets and what depends on them, dependencies first", () => {
    const order = planSteps(g, ["train"], { downstream: true });
    expect(order).toEqual(["train", "eval"]);
    const fromPrep = planSteps(g, ["prep"], { downstream: true });
    expect([...fromPrep].sort()).toEqual(["eval", "prep", "report", "train"]);
    expect(fromPrep[0]).toBe("prep");
    expect(fromPrep.indexOf("train")).toBeLessThan(fromPrep.indexOf("eval"));
  });

  it("does not walk through a frozen stage to what it needs", () => {
    const frozen = (id: string): boolean => id === "train";
    // eval's deps are [model, prep.csv]: train (frozen, not walked through), then prep, which eval needs directly
    expect(planSteps(g, ["eval"], { stopAt: frozen })).toEqual(["train", "prep", "eval"]);
    const chain = buildGraph([stage("a", [], ["a"]), stage("b", ["a"], ["b"]), stage("c", ["b"], ["c"])]);
    expect(planSteps(chain, ["c"], { stopAt: (id) => id === "b" })).toEqual(["b", "c"]);
    expect(planSteps(chain, ["c"])).toEqual(["a", "b", "c"]);
    // downstream walks on through a frozen stage
    expect(planSteps(chain, ["a"], { downstream: true, stopAt: (id) => id === "b" })).toEqual(["a", "b", "c"]);
  });
});

describe("size", () => {
  it("builds, checks and plans a 1,500-stage graph (a chain and a fan-in) without recursion limits", () => {
    const n = 1500;
    const nodes: GraphNode[] = [];
    for (let i = 0; i < n; i++)
      nodes.push(stage(`s${i}`, i === 0 ? ["in.txt"] : [`out/${i - 1}.txt`], [`out/${i}.txt`]));
    nodes.push(stage("all", ["out"], ["all.txt"]));
    const g = buildGraph(nodes);
    expect(g.upstream.get("all")).toHaveLength(n);
    const order = planSteps(g, ["all"]);
    expect(order).toHaveLength(n + 1);
    expect(order[0]).toBe("s0");
    expect(order[n - 1]).toBe(`s${n - 1}`);
    expect(order[n]).toBe("all");
    expect(planSteps(g, ["s0"], { downstream: true })).toHaveLength(n + 1);
  });

  it("finds a cycle closing a 1,500-stage chain", () => {
    const n = 1500;
    const nodes: GraphNode[] = [];
    for (let i = 0; i < n; i++) nodes.push(stage(`s${i}`, [`o${(i + n - 1) % n}`], [`o${i}`]));
    const err = thrown(() => buildGraph(nodes));
    expect(err.code).toBe("PIPELINE_CYCLE");
    expect((err.details as { cycle: string[] }).cycle).toHaveLength(n + 1);
  });
});
