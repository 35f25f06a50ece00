// dag renderers against what real DVC printed (tests/fixtures), DVC's own documented drawings, and a
// generated graph with several components.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { drawAscii, pyRound } from "../../../src/pipeline/dag-ascii.js";
import {
  dagComponents,
  dagJson,
  renderAscii,
  renderDot,
  renderMermaid,
  type DagView,
} from "../../../src/pipeline/dag-render.js";

const FIX = join(import.meta.dirname, "../../fixtures");
const fixture = (p: string): string => readFileSync(join(FIX, p), "utf8");

function view(nodes: string[], upstream: Record<string, string[]>): DagView {
  return { nodes, upstream: new Map(nodes.map((n) => [n, upstream[n] ?? []])) };
}

// tests/fixtures/pipeline/dvc.yaml in discovery order; metrics_stage depends on data/copy.csv and results/
const PIPELINE = view(
  [
    "params_kinds",
    "whole_file",
    "in_wdir",
    "sizes@8",
    "sizes@16",
    "grid@sgd-0.1",
    "grid@sgd-0.01",
    "grid@adam-0.1",
    "grid@adam-0.01",
    "metrics_stage",
    "list_cmd",
  ],
  { metrics_stage: ["in_wdir", "sizes@8", "sizes@16"] },
);

// tests/fixtures/basic: the node order of DVC's dag.dot
const BASIC = view(["train@small", "prepare", "evaluate", "data.csv.dvc", "train@large", "images.dvc"], {
  "train@small": ["prepare"],
  "train@large": ["prepare"],
  prepare: ["data.csv.dvc"],
  evaluate: ["train@small", "train@large"],
});

// DVC's node order differs from run to run; its dag.md run had images.dvc first (as dvx's discovery order does)
const BASIC_MD: DagView = {
  nodes: ["images.dvc", ...BASIC.nodes.filter((n) => n !== "images.dvc")],
  upstream: BASIC.upstream,
};

describe("dag --md / --mermaid", () => {
  test("byte-identical to DVC's on both fixtures (the command adds the final newline)", () => {
    expect(renderMermaid(PIPELINE, true) + "\n").toBe(fixture("pipeline/dag.md"));
    expect(renderMermaid(BASIC_MD, true) + "\n").toBe(fixture("basic/expected/dag.md"));
  });

  test("--mermaid is the same flowchart without the fence", () => {
    const md = renderMermaid(BASIC, true);
    expect(renderMermaid(BASIC, false)).toBe(md.slice("```mermaid\n".length, -"\n```".length));
  });

  test("nodes are numbered across components; labels and edges sorted by code point per component", () => {
    const g = view(["b", "a", "z", "é", "y", "x"], { a: ["b"], y: ["z"], x: ["z", "é"] });
    expect(renderMermaid(g, false).split("\n")).toEqual([
      "flowchart TD",
      '\tnode1["a"]',
      '\tnode2["b"]',
      "\tnode2-->node1",
      '\tnode3["x"]',
      '\tnode4["y"]',
      '\tnode5["z"]',
      '\tnode6["é"]',
      "\tnode5-->node3",
      "\tnode5-->node4",
      "\tnode6-->node3",
    ]);
  });
});

describe("dag --dot", () => {
  test("byte-identical to DVC's for the same node order", () => {
    expect(renderDot(BASIC) + "\n").toBe(fixture("basic/expected/dag.dot"));
  });

  test("labels that are already quoted are kept as they are", () => {
    expect(renderDot(view(['"q"', "a"], { a: ['"q"'] }))).toBe('strict digraph  {\n"q";\n"a";\n"q" -> "a";\n}\n');
  });
});

describe("dag (ASCII)", () => {
  test("byte-identical to DVC's drawing of the pipeline fixture", () => {
    expect(renderAscii(PIPELINE) + "\n").toBe(fixture("pipeline/dag.txt"));
  });

  test("DVC's documented drawings (dvc/dagascii.py docstring; the get-started pipeline)", () => {
    const trim = (s: string): string => s.replace(/ +$/gm, "");
    expect(
      trim(
        drawAscii(
          ["1", "2", "3", "4"],
          [
            [1, 0],
            [2, 1],
            [3, 1],
            [3, 0],
          ],
        ),
      ),
    ).toBe(
      [
        "+---+     +---+",
        "| 3 |     | 4 |",
        "+---+    *+---+",
        "  *    **   *",
        "  *  **     *",
        "  * *       *",
        "+---+       *",
        "| 2 |      *",
        "+---+     *",
        "     *    *",
        "      *  *",
        "       **",
        "     +---+",
        "     | 1 |",
        "     +---+",
      ].join("\n"),
    );
    const nodes = ["data/data.xml.dvc", "split", "featurize", "train", "evaluate"];
    const up: Record<string, string[]> = {
      split: ["data/data.xml.dvc"],
      featurize: ["split"],
      train: ["featurize"],
      evaluate: ["featurize", "train"],
    };
    const drawn = trim(renderAscii(view(nodes, up))).split("\n");
    expect(drawn.slice(12, 28)).toEqual(
      [
        "        +-----------+",
        "        | featurize |",
        "        +-----------+",
        "         **        **",
        "       **            *",
        "      *               **",
        "+-------+               *",
        "| train |             **",
        "+-------+            *",
        "         **        **",
        "           **    **",
        "             *  *",
        "        +----------+",
        "        | evaluate |",
        "        +----------+",
      ].slice(0, 16),
    );
  });

  test("one drawing per component; long edges go around through dummy points; every box drawn", () => {
    const g = view(["a", "b", "c", "d", "lonely"], { b: ["a"], c: ["b"], d: ["a", "c"] });
    const text = renderAscii(g);
    for (const n of ["| a |", "| b |", "| c |", "| d |", "| lonely |"]) expect(text).toContain(n);
    expect(dagComponents(g)).toEqual([["a", "b", "c", "d"], ["lonely"]]);
    const lines = text.split("\n");
    expect(lines.slice(-3)).toEqual(["+--------+ ", "| lonely | ", "+--------+ "]);
    expect(renderAscii(g)).toBe(text); // deterministic
  });

  test("Python rounding: halves to even", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(pyRound)).toEqual([0, 2, 2, 0, -2, 2, 3]);
  });
});

describe("dag --json", () => {
  test("nodes in graph order, edges from dependency to dependent", () => {
    expect(dagJson(BASIC)).toEqual({
      nodes: ["train@small", "prepare", "evaluate", "data.csv.dvc", "train@large", "images.dvc"],
      edges: [
        { from: "train@small", to: "evaluate" },
        { from: "prepare", to: "train@small" },
        { from: "prepare", to: "train@large" },
        { from: "data.csv.dvc", to: "prepare" },
        { from: "train@large", to: "evaluate" },
      ],
    });
  });
});
