// DVC's exact tables (fixtures printed by real DVC 3.64), rebuilt from the same file contents through
// parse → extract/select → diff → layout → table. Files are given in the order DVC happened to print them.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { diffFiles } from "../../../src/metrics/diff.js";
import { diffCells, showCells } from "../../../src/metrics/layout.js";
import {
  extractMetrics,
  paramsForDisplay,
  parseMetricsText,
  parseParamsText,
  selectParams,
} from "../../../src/metrics/read.js";
import { markdownTable, plainTable } from "../../../src/metrics/table.js";
import { formatLeaf } from "../../../src/metrics/values.js";

const FIX = resolve(__dirname, "../../fixtures");
const golden = (p: string): string => readFileSync(join(FIX, p), "utf8");

const OLD_METRICS = '{"accuracy": 0.75, "loss": 0.25, "nested": {"f1": 0.5, "name": "run"}}';
const NEW_METRICS = '{"accuracy": 0.8125, "loss": 0.25, "nested": {"f1": 0.5, "name": "run"}}';
const metrics = (text: string): Map<string, unknown> =>
  new Map([["metrics.json", extractMetrics(parseMetricsText(text, "metrics.json"))]]);
const metricLayout = { title: "Metric", aLabel: "HEAD~2", bLabel: "workspace", showChange: true, precision: 5 };

describe("metrics diff tables (basic fixture)", () => {
  const rows = (all: boolean) => diffFiles(["metrics.json"], metrics(OLD_METRICS), metrics(NEW_METRICS), all);

  it("--md and the terminal table are byte-identical to DVC's", () => {
    const c = diffCells(rows(false), metricLayout);
    expect(markdownTable(c.headers, c.rows)).toBe(golden("basic/expected/metrics-diff-HEAD~2.md"));
    expect(plainTable(c.headers, c.rows)).toBe(golden("basic/expected/metrics-diff-HEAD~2.txt"));
  });

  it("--all adds unchanged rows with a 0.0 change for numbers and - for strings", () => {
    const c = diffCells(rows(true), metricLayout);
    expect(markdownTable(c.headers, c.rows)).toBe(golden("basic/expected/metrics-diff-all-HEAD~2.md"));
  });

  it("--no-path drops the Path column; params have no Change column", () => {
    const c = diffCells(rows(false), { ...metricLayout, noPath: true });
    expect(c.headers).toEqual(["Metric", "HEAD~2", "workspace", "Change"]);
    expect(c.rows).toEqual([["accuracy", "0.75", "0.8125", "0.0625"]]);
    const p = diffCells(rows(false), { ...metricLayout, title: "Param", showChange: false });
    expect(p.headers).toEqual(["Path", "Param", "HEAD~2", "workspace"]);
  });
});

describe("params diff tables", () => {
  it("basic fixture: params.yaml at HEAD~2 vs the workspace", () => {
    const read = (lr: string) =>
      new Map([
        [
          "params.yaml",
          paramsForDisplay(
            parseParamsText(
              `prepare:\n  split: 0.2\n  seed: 42\ntrain:\n  lr: ${lr}\n  epochs: 3\n  models: [small, large]\n`,
              "params.yaml",
            ),
          ),
        ],
      ]);
    const rows = diffFiles(["params.yaml"], read("0.01"), read("0.02"), false);
    const c = diffCells(rows, { title: "Param", aLabel: "HEAD~2", bLabel: "workspace" });
    expect(markdownTable(c.headers, c.rows)).toBe(golden("basic/expected/params-diff-HEAD~2.md"));
  });

  it("pipeline fixture --all: floats, exponents, big ints, booleans, null, lists, TOML, JSON, Python", () => {
    const text = (f: string) => golden(`pipeline/${f}`);
    const data = (params: string) =>
      new Map<string, unknown>([
        ["train.json", paramsForDisplay(parseParamsText(text("train.json"), "train.json"))],
        ["cfg.toml", paramsForDisplay(selectParams(parseParamsText(text("cfg.toml"), "cfg.toml"), ["model"]))],
        ["params.yaml", paramsForDisplay(parseParamsText(params, "params.yaml"))],
        // what the Python params reader gives for params_py.py's tracked keys (BATCH, Train.epochs)
        ["params_py.py", { BATCH: 32, Train: { epochs: 10 } }],
      ]);
    const before = text("params.yaml");
    const after = before.replace("other: 7", "other: 8");
    const files = ["train.json", "cfg.toml", "params.yaml", "params_py.py"];
    const c = diffCells(diffFiles(files, data(before), data(after), true), {
      title: "Param",
      aLabel: "HEAD",
      bLabel: "workspace",
    });
    expect(markdownTable(c.headers, c.rows)).toBe(golden("pipeline/params-diff-all.md"));
    const changed = diffCells(diffFiles(files, data(before), data(after), false), {
      title: "Param",
      aLabel: "HEAD",
      bLabel: "workspace",
    });
    expect(markdownTable(changed.headers, changed.rows)).toBe(golden("pipeline/params-diff.md"));
  });
});

describe("metrics show table", () => {
  it("one row per file, sorted metric columns, - where a file lacks a metric, Revision only with -a/-T/-A", () => {
    const entries = [
      { rev: "workspace", path: "a.json", data: { b: 1, a: { z: 0.123456789 } } },
      { rev: "main", path: "b.yaml", data: { a: { z: 2.0 }, c: "x", d: true } },
      { rev: "main", path: "bad.json", data: undefined },
    ];
    const c = showCells(entries, { withRevision: true, precision: 5 });
    expect(plainTable(c.headers, c.rows)).toBe(
      [
        "Revision    Path      a.z      b    c    d",
        "workspace   a.json    0.12346  1    -    -",
        "main        b.yaml    2        -    x    True",
        "main        bad.json  -        -    -    -",
        "",
      ].join("\n"),
    );
    expect(showCells(entries.slice(0, 1), { withRevision: false }).headers).toEqual(["Path", "a.z", "b"]);
    expect(formatLeaf(0.123456789)).toBe("0.123456789");
  });
});
