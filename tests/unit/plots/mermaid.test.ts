// Markdown for `plots diff --md`: xychart-beta blocks (resampled to at most MAX_POINTS per series), the legend,
// and tables for bars and confusion matrices. Mermaid's own parser checks the blocks in tests/browser/.
import { describe, expect, it } from "vitest";
import { decimateDatapoints, resampleOnGrid } from "../../../src/plots/downsample.js";
import { MAX_POINTS, plotsMarkdown, xyChart } from "../../../src/plots/mermaid.js";
import type { Datapoint, PreparedVega } from "../../../src/plots/types.js";

function plot(
  datapoints: Datapoint[],
  over: Partial<Omit<PreparedVega, "template">> & { template?: string } = {},
  props: Partial<PreparedVega["props"]> = {},
): PreparedVega {
  return {
    kind: "vega",
    id: "loss.csv",
    revisions: [...new Set(datapoints.map((d) => String(d.rev)))],
    datapoints,
    props: {
      title: 'Loss "train"',
      x: "step",
      y: "loss",
      x_label: "step",
      y_label: "loss",
      anchors_y_definitions: [],
      revs_with_datapoints: [],
      ...props,
    },
    ...over,
    template: { name: over.template ?? "linear", content: {}, builtin: true },
  };
}

const curve = (rev: string, n: number, f: (i: number) => number): Datapoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i, loss: String(f(i)), rev }));

/** The numbers of each `line [...]` of a block. */
const lines = (md: string): number[][] =>
  [...md.matchAll(/^ {2}line \[(.*)\]$/gm)].map((m) => m[1]!.split(", ").map(Number));

describe("xychart blocks", () => {
  it("one line per revision on a shared numeric x axis, a legend and a note", () => {
    const md = xyChart(plot([...curve("HEAD", 5, (i) => 1 / (i + 1)), ...curve("workspace", 5, (i) => 0.5 / (i + 1))]));
    expect(md).toContain("```mermaid\n---\nconfig:\n  themeVariables:\n    xyChart:\n");
    expect(md).toContain('plotColorPalette: "#945dd6, #4299e1"');
    expect(md).toContain("xychart-beta\n  title \"Loss 'train'\"\n");
    expect(md).toContain('  x-axis "step" 0 --> 4\n  y-axis "loss"\n');
    expect(lines(md)).toEqual([
      [1, 0.5, 0.333333, 0.25, 0.2],
      [0.5, 0.25, 0.166667, 0.125, 0.1],
    ]);
    expect(md).toContain("🟪 HEAD · 🟦 workspace");
    expect(md).toContain("<sub>5 points per series</sub>");
  });

  it(`long series are averaged down to ${MAX_POINTS} points and the note says so`, () => {
    const md = xyChart(plot(curve("w", 10_000, (i) => i)));
    const [row] = lines(md);
    expect(row).toHaveLength(MAX_POINTS);
    expect(row![0]).toBeLessThan(60); // the mean of the first x-interval, not its first point only
    expect(row![MAX_POINTS - 1]).toBeGreaterThan(9_900);
    expect(md).toContain(`${MAX_POINTS} points per series (downsampled from up to 10000`);
  });

  it("a series that ends early is held at its last value, and the note says so", () => {
    const md = xyChart(plot([...curve("a", 10, () => 1), ...curve("b", 5, () => 2)]));
    expect(lines(md)[1]).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(md).toContain("held at their last value");
  });

  it("names each source when a plot has several (rev · file::field)", () => {
    const points = [
      { step: 0, v: 1, rev: "w", filename: "m.csv", field: "acc" },
      { step: 0, v: 2, rev: "w", filename: "m.csv", field: "loss" },
    ];
    const ydefs = [
      { filename: "m.csv", field: "acc" },
      { filename: "m.csv", field: "loss" },
    ];
    const md = xyChart(plot(points, {}, { y: "v", anchors_y_definitions: ydefs }));
    expect(md).toContain("🟪 w · acc · 🟦 w · loss");
  });
});

describe("plotsMarkdown", () => {
  it("confusion matrices become count tables per revision; bars a table; images a pointer", () => {
    const conf = plot(
      [
        { actual: "0", predicted: "0", rev: "w" },
        { actual: "0", predicted: "1", rev: "w" },
        { actual: "1", predicted: "1", rev: "w" },
      ],
      { id: "conf.json", template: "confusion" },
      { x: "actual", y: "predicted", x_label: "actual", y_label: "predicted" },
    );
    const bars = plot(
      [
        { name: "a", imp: 0.5, rev: "w" },
        { name: "b", imp: 0.25, rev: "w" },
      ],
      { id: "imp.json", template: "bar_horizontal" },
      { x: "imp", y: "name", y_label: "name" },
    );
    const md = plotsMarkdown([
      conf,
      bars,
      { kind: "image", id: "roc.png", revisions: ["w"], images: [] },
      plot([], { id: "empty.csv" }),
    ]);
    expect(md).toContain(
      "#### conf.json\n\n**w** (rows: predicted, columns: actual)\n\n| | 0 | 1 |\n|---|---:|---:|\n",
    );
    expect(md).toContain("| **0** | 1 | 0 |\n| **1** | 1 | 1 |");
    expect(md).toContain("| name | w |\n|---|---:|\n| a | 0.5 |\n| b | 0.25 |");
    expect(md).toContain("#### roc.png\n\n_image (w): see the HTML report_");
    expect(md).toContain("#### empty.csv\n\n_no data_");
  });
});

describe("downsampling", () => {
  it("M4 keeps the first, last, lowest and highest point of each bucket, per series", () => {
    const points = [...curve("a", 1000, (i) => (i === 500 ? 100 : i % 2)), ...curve("b", 10, (i) => i)];
    const thin = decimateDatapoints(points, "step", "loss", 10)!;
    expect(thin.datapoints.length).toBeLessThanOrEqual(10 * 4 + 10);
    expect(thin.datapoints.some((d) => d.loss === "100")).toBe(true); // the spike survives
    expect(thin.datapoints.filter((d) => d.rev === "b")).toHaveLength(10); // short series untouched
    expect(thin.datapoints.filter((d) => d.rev === "a").at(-1)?.step).toBe(999);
  });

  it("resampleOnGrid interpolates across empty intervals", () => {
    const dense = { xs: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ys: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5] };
    const grid = resampleOnGrid([dense, { xs: [0, 10], ys: [0, 10] }], 100);
    expect(grid.xs).toEqual(dense.xs);
    expect(grid.rows).toEqual([dense.ys, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    expect(grid.extended).toBe(false);
  });
});
