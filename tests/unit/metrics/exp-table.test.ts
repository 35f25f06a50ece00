// The pure parts of exp show: DVC's tabulate (column names, clashes, order first seen, ! and - cells, deps),
// --sort-by column matching and ordering, the column work of show_experiments, cell and time texts, and the
// walk order of DVC files (which orders deps and outs).
process.env.TZ = "UTC";

import { describe, expect, it } from "vitest";
import { walkOrder } from "../../../src/core/exp/exp-index.js";
import { createdCell, expCell, isoLocal } from "../../../src/metrics/exp-cells.js";
import { expId, shapeTable } from "../../../src/metrics/exp-columns.js";
import type { ExpData, ExpState, FileOutcome } from "../../../src/metrics/exp-state.js";
import { tabulateExps, type ColumnGroup } from "../../../src/metrics/exp-table.js";
import { PyFloat } from "../../../src/util/py-float.js";

const NOW = new Date("2026-03-04T15:00:00Z");

function data(
  rev: string,
  metrics: Record<string, FileOutcome>,
  params: Record<string, FileOutcome>,
  deps: Record<string, string | null> = {},
  timestamp: number | null = null,
): ExpData {
  const d = Object.fromEntries(Object.entries(deps).map(([p, hash]) => [p, { hash, size: null, nfiles: null }]));
  return { rev, timestamp, metrics, params, deps: d, outs: {}, meta: {} };
}

const state = (rev: string, d: ExpData | null, name: string | null = null): ExpState => ({
  rev,
  name,
  data: d,
  error: d ? null : { msg: "broken", type: "PIPELINE_SCHEMA" },
  experiments: null,
});

const SHA = (c: string): string => c.repeat(40);

describe("tabulateExps", () => {
  it("names columns as DVC: order first seen, file:name on clashes (with other files or fixed columns)", () => {
    const base = state(
      SHA("a"),
      data(
        SHA("a"),
        { "m.json": { data: { acc: new PyFloat(0.5), nested: { x: 1 } } }, "n.json": { data: { acc: 2 } } },
        { "params.yaml": { data: { Created: "yes", lr: new PyFloat(0.1) } } },
        { "z.csv": "zz", "a.csv": "aa" },
        Date.parse("2026-03-04T09:05:00Z") / 1000,
      ),
      "main",
    );
    const exp = state(
      SHA("b"),
      data(SHA("b"), { "m.json": { data: { late: true, acc: 1 } } }, {}, { "a.csv": null }),
      "e1",
    );
    base.experiments = [{ revs: [exp], executor: null, name: "e1" }];
    const ws = state(
      "workspace",
      data("workspace", { "m.json": { error: { code: "METRICS_FILE", message: "bad" } } }, {}),
    );
    const t = tabulateExps([ws, base], { fill: "-", iso: false, now: NOW, precision: 5 });
    expect(t.headers).toEqual([
      ...["Experiment", "rev", "typ", "Created", "parent", "State", "Executor"],
      ...["m.json:acc", "nested.x", "late", "n.json:acc"],
      ...["params.yaml:Created", "lr"],
      ...["a.csv", "z.csv"],
    ]);
    expect(t.rows).toEqual([
      ["", "workspace", "baseline", "-", "", "-", "-", "!", "!", "!", "-", "-", "-", "-", "-"],
      ["", "main", "baseline", "09:05 AM", "", "-", "-", "0.5", "1", "-", "2", "yes", "0.1", "aa", "zz"],
      ["e1", "bbbbbbb", "branch_base", "-", "", "-", "-", "1", "-", "True", "-", "-", "-", "-", "-"],
    ]);
    expect(t.groups).toEqual({
      metrics: ["m.json:acc", "nested.x", "late", "n.json:acc"],
      params: ["params.yaml:Created", "lr"],
      deps: ["a.csv", "z.csv"],
    });
  });

  it("a caller's column group comes after DVC's, filled per revision, and is listed in groups", () => {
    const base = state(SHA("a"), data(SHA("a"), { "m.json": { data: { acc: 1 } } }, {}, { "d.csv": "dd" }), "main");
    base.experiments = [{ revs: [state(SHA("b"), data(SHA("b"), {}, {}), "e1")], executor: null, name: "e1" }];
    const seen: string[] = [];
    const record: ColumnGroup = {
      name: "record",
      headers: ["duration", "status"],
      fill(d, put) {
        seen.push(d.rev);
        if (d.rev === SHA("b")) put(1, "finished");
      },
    };
    const t = tabulateExps([base], { fill: "-", iso: false, now: NOW, groups: [record] });
    expect(t.headers.slice(7)).toEqual(["acc", "d.csv", "duration", "status"]);
    expect(t.rows.map((r) => r.slice(7))).toEqual([
      ["1", "dd", "-", "-"],
      ["-", "-", "-", "finished"],
    ]);
    expect(t.groups).toEqual({ metrics: ["acc"], params: [], deps: ["d.csv"], record: ["duration", "status"] });
    expect(seen).toEqual([SHA("a"), SHA("b")]);
  });

  it("an errored revision keeps only its id; a sha baseline without a name shows 7 characters", () => {
    const t = tabulateExps([state(SHA("c"), null)], { fill: "-", iso: false, now: NOW });
    expect(t.rows).toEqual([["", "ccccccc", "baseline", "-", "", "-", "-"]]);
  });

  it("a queue entry's State and Executor cells, capitalised as DVC does (a failed one has no executor name)", () => {
    const base = state(SHA("a"), data(SHA("a"), {}, {}), "main");
    const local = { root: null, log: null, pid: null, returncode: null, task_id: SHA("b") };
    base.experiments = [
      {
        revs: [state(SHA("b"), data(SHA("b"), {}, {}), "q")],
        executor: { state: "queued", name: "dvc-task", local },
        name: "q",
      },
      {
        revs: [state(SHA("c"), data(SHA("c"), {}, {}), "f")],
        executor: { state: "failed", name: null, local },
        name: "f",
      },
    ];
    const t = tabulateExps([base], { fill: "-", iso: false, now: NOW });
    expect(t.rows.map((r) => [r[0], r[5], r[6]])).toEqual([
      ["", "-", "-"],
      ["q", "Queued", "Dvc-task"],
      ["f", "Failed", "-"],
    ]);
  });

  function sorted(sortBy: string, order: "asc" | "desc" = "asc"): string[] {
    const exp = (c: string, acc: unknown): ExpState =>
      state(SHA(c), data(SHA(c), { "dir:x/m.json": { data: acc === undefined ? {} : { acc } } }, {}), `e-${c}`);
    const base = state(SHA("a"), data(SHA("a"), {}, {}), "main");
    base.experiments = [exp("1", 3), exp("2", undefined), exp("3", new PyFloat(1.5)), exp("4", 3)].map((e) => ({
      revs: [e],
      executor: null,
      name: e.name,
    }));
    const t = tabulateExps([base], { fill: "-", iso: false, now: NOW, sortBy, sortOrder: order });
    return t.rows.slice(1).map((r) => `${r[0]}:${r[2]}`);
  }

  it("--sort-by: stable, missing values last (first when descending), paths may hold ':'", () => {
    expect(sorted("acc")).toEqual(["e-3:branch_commit", "e-1:branch_commit", "e-4:branch_commit", "e-2:branch_base"]);
    expect(sorted("dir:x/m.json:acc", "desc")).toEqual([
      "e-2:branch_commit",
      "e-1:branch_commit",
      "e-4:branch_commit",
      "e-3:branch_base",
    ]);
    expect(() => sorted("nope")).toThrow(/unknown sort column 'nope'/);
  });
});

describe("shapeTable", () => {
  const t = {
    headers: ["Experiment", "rev", "typ", "Created", "parent", "State", "Executor", "acc", "lr"],
    rows: [
      ["", "workspace", "baseline", "-", "", "-", "-", "1", "0.1"],
      ["", "main", "baseline", "Jan 01, 2026", "", "-", "-", "1", "0.2"],
      ["e1", "abcdef1", "branch_commit", "Jan 02, 2026", "", "-", "-", "1", "0.3"],
      ["e2", "abcdef2", "branch_base", "Jan 03, 2026", "", "-", "-", "1", "0.4"],
    ],
    groups: { metrics: ["acc"], params: ["lr"], deps: [] },
  };

  it("merges the id columns into the tree and drops empty State/Executor", () => {
    const s = shapeTable(t, { csv: false, fill: "-" });
    expect(s.headers).toEqual(["Experiment", "Created", "acc", "lr"]);
    expect(s.rows.map((r) => r[0])).toEqual(["workspace", "main", "├── abcdef1 [e1]", "└── abcdef2 [e2]"]);
  });

  it("CSV keeps rev/typ/parent; --only-changed drops one-valued columns, even parent", () => {
    expect(shapeTable(t, { csv: true, fill: "-" }).headers).toEqual(
      t.headers.filter((h) => h !== "State" && h !== "Executor"),
    );
    expect(shapeTable(t, { csv: true, fill: "-", onlyChanged: true }).headers).toEqual([
      "Experiment",
      "rev",
      "typ",
      "Created",
      "lr",
    ]);
  });

  it("--drop matches from the start of the name (re.match); --keep protects", () => {
    expect(shapeTable(t, { csv: false, fill: "-", drop: "a" }).headers).toEqual(["Experiment", "Created", "lr"]);
    expect(shapeTable(t, { csv: false, fill: "-", drop: "r" }).headers).toEqual(["Experiment", "Created", "acc", "lr"]);
    expect(shapeTable(t, { csv: false, fill: "-", drop: ".", keep: "l" }).headers).toEqual(["lr"]);
  });

  it("expId is DVC's prepare_exp_id", () => {
    expect(expId("", "main", "baseline", "")).toBe("main");
    expect(expId("", "abcdef1", "branch_base", "")).toBe("└── abcdef1");
    expect(expId("x", "abcdef1", "branch_commit", "1234567")).toBe("├── abcdef1 [x] (1234567)");
  });
});

describe("cells", () => {
  it("formats values as str(_format_field(v, precision))", () => {
    expect(expCell(new PyFloat(1.0), 5)).toBe("1");
    expect(expCell(new PyFloat(1.0))).toBe("1.0");
    expect(expCell([new PyFloat(0.1), new PyFloat(0.123456)], 3)).toBe("['0.1', '0.123']");
    expect(expCell([new PyFloat(0.1), 2, "a"])).toBe("[0.1, 2, 'a']");
    expect(expCell(true, 5)).toBe("True");
    expect(expCell(12345678901234567890n, 5)).toBe("12345678901234567890");
  });

  it("Created: clock time today (12-hour), a date before, ISO for CSV, - without a time", () => {
    const at = (iso: string): number => Date.parse(iso) / 1000;
    const o = { fill: "-", iso: false, now: NOW };
    expect(createdCell(at("2026-03-04T00:05:00Z"), o)).toBe("12:05 AM");
    expect(createdCell(at("2026-03-04T12:30:00Z"), o)).toBe("12:30 PM");
    expect(createdCell(at("2026-03-04T23:59:00Z"), o)).toBe("11:59 PM");
    expect(createdCell(at("2026-03-03T23:59:00Z"), o)).toBe("Mar 03, 2026");
    expect(createdCell(at("2026-03-03T23:59:07Z"), { ...o, iso: true })).toBe("2026-03-03T23:59:07");
    expect(createdCell(null, o)).toBe("-");
    expect(isoLocal(0)).toBe("1970-01-01T00:00:00");
  });
});

describe("walkOrder", () => {
  it("puts a directory's own files before its subdirectories', by name", () => {
    const files = ["sub/dvc.yaml", "z.dvc", "a/b/c.dvc", "dvc.yaml", "a/x.dvc", "data.csv.dvc"];
    expect(files.sort(walkOrder)).toEqual([
      "data.csv.dvc",
      "dvc.yaml",
      "z.dvc",
      "a/x.dvc",
      "a/b/c.dvc",
      "sub/dvc.yaml",
    ]);
  });
});
