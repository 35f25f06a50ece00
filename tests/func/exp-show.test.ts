// dvx exp show on real git repos with experiments made by git plumbing in DVC's shape: the spec's --md layout
// (docs/formats.md §11.2) and DVC's --json and --csv shapes built by hand, the tree of experiments, baselines
// (-a/-T/-A/-n/--rev), auxiliary refs, sorting and column filters, unreadable files at one experiment.
process.env.TZ = "UTC"; // Created and the JSON timestamps are local times: pin them

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { commitAt, makeAuxRef, makeExperiment, makeExperiments } from "../helpers/exp-repo.js";
import { DATA_MD5, DVC_YAML, TRAIN_MD5, lock, metrics, params } from "../helpers/exp-fixture.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

/** The trimmed cells from..to of one markdown table row. */
const cells = (row: string, from: number, to: number): string[] =>
  row
    .split("|")
    .map((c) => c.trim())
    .slice(from, to);

const TODAY = new Date().toISOString().slice(0, 10);

/** The spec's example: baseline `master` at 10:15 today, experiment `my-exp` (lr 0.05) at 10:17, lr 0.05 in the
 * workspace. */
async function specRepo(): Promise<{ r: TmpRepo; base: string; exp: string }> {
  const r = await makeRepo({
    files: {
      "dvc.yaml": DVC_YAML,
      "dvc.lock": lock("0.01"),
      "params.yaml": params("0.01"),
      "metrics.json": metrics(0.9),
      "data.csv": "a,b\n1,2\n",
      "train.py": "print('train')\n",
      ".gitignore": "/model.pkl\n",
    },
  });
  r.git("checkout", "-q", "-b", "master");
  const base = commitAt(r.dir, "baseline", `${TODAY}T10:15:00Z`);
  const exp = makeExperiment(
    r.dir,
    "my-exp",
    { "params.yaml": params("0.05"), "dvc.lock": lock("0.05") },
    {
      date: `${TODAY}T10:17:00Z`,
    },
  );
  r.write({ "params.yaml": params("0.05") });
  return { r, base, exp };
}

const row = (cells: string[], widths: number[]): string =>
  "| " + cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";

describe("dvx exp show: DVC's shapes", () => {
  it("--md is the spec's table: workspace, baseline, its experiment as a tree", async () => {
    const { r, exp } = await specRepo();
    const res = await r.run("exp", "show", "--md");
    expect(res.code, res.stderr).toBe(0);
    const h = ["Experiment", "Created", "acc", "loss.train", "loss.val", "lr", "train.epochs", "data.csv", "train.py"];
    const w = [20, 9, 5, 12, 10, 4, 14, 32, 32];
    const deps = [DATA_MD5, TRAIN_MD5];
    const expected = [
      row(h, w),
      "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|",
      row(["workspace", "-", "0.9", "0.1", "0.2", "0.05", "10", ...deps], w),
      row(["master", "10:15 AM", "0.9", "0.1", "0.2", "0.01", "10", ...deps], w),
      row([`└── ${exp.slice(0, 7)} [my-exp]`, "10:17 AM", "0.9", "0.1", "0.2", "0.05", "10", ...deps], w),
    ].join("\n");
    expect(res.stdout).toBe(expected + "\n\n");
    // the spec's own lines, for the columns it shows
    expect(res.stdout).toContain("| Experiment           | Created   | acc   | loss.train   | loss.val   | lr   |");
    expect(res.stdout).toContain("| master               | 10:15 AM  | 0.9   | 0.1          | 0.2        | 0.01 | 10 ");
  });

  it("--json is DVC's list of ExpState", async () => {
    const { r, base, exp } = await specRepo();
    const res = await r.run("exp", "show", "--json");
    expect(res.code, res.stderr).toBe(0);
    const deps = {
      "data.csv": { hash: DATA_MD5, size: 8, nfiles: null },
      "train.py": { hash: TRAIN_MD5, size: 15, nfiles: null },
    };
    const outs = {
      "model.pkl": {
        hash: "3c4d5e6f708192a3b4c5d6e7f8091a2b",
        size: 10,
        nfiles: null,
        use_cache: true,
        is_data_source: false,
      },
    };
    const data = (rev: string, timestamp: string | null, lr: number) => ({
      rev,
      timestamp,
      params: { "params.yaml": { data: { lr, train: { epochs: 10 } } } },
      metrics: { "metrics.json": { data: { acc: 0.9, loss: { train: 0.1, val: 0.2 } } } },
      deps,
      outs,
      meta: {},
    });
    expect(res.json()).toEqual([
      { rev: "workspace", name: null, data: data("workspace", null, 0.05), error: null, experiments: null },
      {
        rev: base,
        name: "master",
        data: data(base, `${TODAY}T10:15:00`, 0.01),
        error: null,
        experiments: [
          {
            revs: [
              { rev: exp, name: "my-exp", data: data(exp, `${TODAY}T10:17:00`, 0.05), error: null, experiments: null },
            ],
            executor: null,
            name: "my-exp",
          },
        ],
      },
    ]);
    // key order is DVC's dataclass field order
    expect(Object.keys(res.json<Array<Record<string, unknown>>>()[0]!)).toEqual([
      "rev",
      "name",
      "data",
      "error",
      "experiments",
    ]);
  });

  it("--csv is DVC's: unmerged id columns, ISO times, empty fill, floats as written", async () => {
    const { r, exp } = await specRepo();
    const res = await r.run("exp", "show", "--csv");
    expect(res.code, res.stderr).toBe(0);
    const deps = `${DATA_MD5},${TRAIN_MD5}`;
    expect(res.stdout).toBe(
      [
        "Experiment,rev,typ,Created,parent,acc,loss.train,loss.val,lr,train.epochs,data.csv,train.py",
        `,workspace,baseline,,,0.9,0.1,0.2,0.05,10,${deps}`,
        `,master,baseline,${TODAY}T10:15:00,,0.9,0.1,0.2,0.01,10,${deps}`,
        `my-exp,${exp.slice(0, 7)},branch_base,${TODAY}T10:17:00,,0.9,0.1,0.2,0.05,10,${deps}`,
        "",
      ].join("\r\n"),
    );
  });

  it("the terminal table has the same rows in boxes", async () => {
    const { r, exp } = await specRepo();
    const res = await r.run("exp", "show");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/│ Experiment +│ Created +│ acc +│/);
    expect(res.stdout).toContain(`│ └── ${exp.slice(0, 7)} [my-exp] │ 10:17 AM │`);
  });

  it("an older commit shows its date, and --sha names the baseline by its commit", async () => {
    const r = await makeRepo({ files: { "params.yaml": params("0.01"), "dvc.yaml": "stages: {}\n" } });
    const base = commitAt(r.dir, "old", "2024-03-05T23:59:00Z");
    const res = await r.run("exp", "show", "--md", "--sha");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`| ${base.slice(0, 7).padEnd(12)} | Mar 05, 2024 | 0.01 |`);
  });
});

describe("dvx exp show: rows", () => {
  it("lists each experiment of the baseline newest first, the last one as └──", async () => {
    const { r, base } = await specRepo();
    const a = makeExperiment(
      r.dir,
      "exp-a",
      { "metrics.json": metrics(0.5) },
      { baseline: base, date: `${TODAY}T11:00:00Z` },
    );
    const b = makeExperiment(
      r.dir,
      "exp-b",
      { "metrics.json": metrics(0.7) },
      { baseline: base, date: `${TODAY}T12:00:00Z` },
    );
    makeAuxRef(r.dir, "refs/exps/stash", a);
    makeAuxRef(r.dir, "refs/exps/exec/EXEC_BASELINE", base);
    makeAuxRef(r.dir, "refs/exps/celery/stash", b);
    makeAuxRef(r.dir, `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/deeper/x`, a); // not name-shaped
    const res = await r.run("exp", "show", "--md", "--hide-workspace");
    expect(res.code, res.stderr).toBe(0);
    const ids = res.stdout
      .split("\n")
      .slice(2)
      .filter((l) => l.startsWith("|"))
      .map((l) => l.split("|")[1]!.trim());
    expect(ids).toEqual([
      "master",
      `├── ${b.slice(0, 7)} [exp-b]`,
      `├── ${a.slice(0, 7)} [exp-a]`,
      expect.stringMatching(/^└── [0-9a-f]{7} \[my-exp\]$/),
    ]);
  });

  it("-a adds every branch with its experiments, -n the commits before HEAD, --rev picks a baseline", async () => {
    const { r, base } = await specRepo();
    r.git("checkout", "-q", "-b", "feature");
    r.write({ "params.yaml": params("0.3") });
    const second = commitAt(r.dir, "second", `${TODAY}T10:30:00Z`);
    const onSecond = makeExperiment(
      r.dir,
      "on-second",
      { "metrics.json": metrics(0.1) },
      { date: `${TODAY}T10:31:00Z` },
    );
    const names = async (...args: string[]): Promise<string[]> => {
      const res = await r.run("exp", "show", "--json", ...args);
      expect(res.code, res.stderr).toBe(0);
      return res
        .json<Array<{ rev: string; name: string | null; experiments: Array<{ name: string }> | null }>>()
        .map((s) => `${s.name ?? s.rev}:${(s.experiments ?? []).map((e) => e.name).join(",")}`);
    };
    expect(await names()).toEqual(["workspace:", "feature:on-second"]);
    expect(await names("-n", "2")).toEqual(["workspace:", "feature:on-second", "master:my-exp"]);
    expect(await names("--rev", "master")).toEqual(["workspace:", "master:my-exp"]);
    expect(await names("--rev", base.slice(0, 8), "--rev", second)).toEqual([
      "workspace:",
      "master:my-exp",
      "feature:on-second",
    ]);
    expect(await names("-a")).toEqual(["workspace:", "feature:on-second", "master:my-exp"]);
    expect(await names("-A")).toEqual(["workspace:", "feature:on-second", "master:my-exp"]);
    r.git("tag", "v1", base);
    expect(await names("-T")).toEqual(["workspace:", "v1:my-exp"]);
    expect(onSecond).toMatch(/^[0-9a-f]{40}$/);
  });

  it("an experiment whose metrics file is malformed: an error entry, ! cells, the others intact", async () => {
    const { r, base } = await specRepo();
    const bad = makeExperiment(
      r.dir,
      "bad",
      { "metrics.json": '{"acc": 0.5, ' },
      { baseline: base, date: `${TODAY}T11:00:00Z` },
    );
    const json = await r.run("exp", "show", "--json");
    expect(json.code, json.stderr).toBe(0);
    const exps = json.json<
      Array<{
        experiments: Array<{ revs: Array<{ rev: string; data: { metrics: Record<string, unknown> } }> }> | null;
      }>
    >()[1]!.experiments!;
    const badState = exps.find((e) => e.revs[0]!.rev === bad)!.revs[0]!;
    expect(badState.data.metrics["metrics.json"]).toEqual({ error: { type: "METRICS_FILE", msg: expect.any(String) } });
    const md = await r.run("exp", "show", "--md");
    const badRow = md.stdout.split("\n").find((l) => l.includes("[bad]"))!;
    expect(cells(badRow, 3, 6)).toEqual(["!", "!", "!"]);
    const myRow = md.stdout.split("\n").find((l) => l.includes("[my-exp]"))!;
    expect(cells(myRow, 3, 7)).toEqual(["0.9", "0.1", "0.2", "0.05"]);
  });

  it("an experiment whose dvc.yaml is invalid: an error for the whole revision, - cells", async () => {
    const { r, base } = await specRepo();
    const broken = makeExperiment(
      r.dir,
      "broken",
      { "dvc.yaml": "stages:\n  train: [\n" },
      { baseline: base, date: `${TODAY}T11:00:00Z` },
    );
    const json = await r.run("exp", "show", "--json");
    expect(json.code, json.stderr).toBe(0);
    const st = json
      .json<Array<{ experiments: Array<{ revs: Array<Record<string, unknown>> }> | null }>>()[1]!
      .experiments!.map((e) => e.revs[0]!)
      .find((s) => s.rev === broken)!;
    expect(st).toMatchObject({ data: null, error: { type: "PIPELINE_SCHEMA", msg: expect.any(String) } });
    const md = await r.run("exp", "show", "--md");
    const brokenRow = md.stdout.split("\n").find((l) => l.includes("[broken]"))!;
    expect(cells(brokenRow, 2, 6)).toEqual(["-", "-", "-", "-"]);
  });

  it("50 experiments: every one listed once, newest first, with its own values", async () => {
    const { r, base } = await specRepo();
    makeExperiments(
      r.dir,
      base,
      Array.from({ length: 50 }, (_, i) => ({
        name: `e${i}`,
        files: { "metrics.json": metrics(i / 100), "params.yaml": params(`0.${i + 10}`) },
        date: new Date(Date.parse(`${TODAY}T11:00:00Z`) + i * 60_000).toISOString(),
      })),
    );
    const made = (i: number): string =>
      r.git("rev-parse", `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/e${i}`).trim();
    const res = await r.run("exp", "show", "--csv", "--hide-workspace");
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\r\n").slice(2); // header, master
    const rows = lines.map((l) => l.split(","));
    expect(rows.map((c) => c[0])).toEqual([...Array.from({ length: 50 }, (_, i) => `e${49 - i}`), "my-exp"]);
    expect(rows[0]!.slice(1, 3)).toEqual([made(49).slice(0, 7), "branch_commit"]);
    expect(rows[49]!.slice(5, 9)).toEqual(["0", "0.1", "0.2", "0.1"]); // JSON 0 is an int, YAML 0.10 a float
    expect(rows[50]![2]).toBe("branch_base");
  });

  it("metrics kept in the DVC cache (not in git) are read through each experiment's dvc.lock", async () => {
    const md5 = (t: string): string => createHash("md5").update(t).digest("hex");
    const cached = DVC_YAML.replace("      - metrics.json:\n          cache: false\n", "      - metrics.json\n");
    const lockWith = (m: string): string =>
      lock("0.01").replace(
        /md5: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n {6}size: 49/,
        `md5: ${md5(m)}\n      size: ${m.length}`,
      );
    const inCache = (m: string): void =>
      r.write({ [`.dvc/cache/files/md5/${md5(m).slice(0, 2)}/${md5(m).slice(2)}`]: m });
    const m0 = metrics(0.5);
    const r = await makeRepo({
      files: {
        "dvc.yaml": cached,
        "dvc.lock": lockWith(m0),
        "params.yaml": params("0.01"),
        ".gitignore": "/metrics.json\n",
      },
    });
    inCache(m0);
    const base = commitAt(r.dir, "baseline", "2026-01-01T00:00:00Z");
    const m1 = metrics(0.75);
    inCache(m1);
    makeExperiment(r.dir, "cached", { "dvc.lock": lockWith(m1) }, { baseline: base, date: "2026-01-01T01:00:00Z" });
    makeExperiment(
      r.dir,
      "gone",
      { "dvc.lock": lockWith(metrics(0.99)) },
      { baseline: base, date: "2026-01-01T02:00:00Z" },
    );
    const json = await r.run("exp", "show", "--json", "--hide-workspace");
    expect(json.code, json.stderr).toBe(0);
    type S = { name: string; data: { metrics: Record<string, unknown> } };
    const [baseline] = json.json<Array<S & { experiments: Array<{ revs: S[] }> }>>();
    const metricsOf = (name: string): unknown =>
      baseline!.experiments.find((e) => e.revs[0]!.name === name)!.revs[0]!.data.metrics["metrics.json"];
    expect(baseline!.data.metrics["metrics.json"]).toEqual({ data: { acc: 0.5, loss: { train: 0.1, val: 0.2 } } });
    expect(metricsOf("cached")).toEqual({ data: { acc: 0.75, loss: { train: 0.1, val: 0.2 } } });
    expect(metricsOf("gone")).toEqual({ error: { type: "NOT_IN_CACHE", msg: expect.any(String) } });
  });

  it("packed refs and objects read the same as loose ones", async () => {
    const { r } = await specRepo();
    const before = (await r.run("exp", "show", "--json")).stdout;
    r.git("gc", "-q");
    r.git("pack-refs", "--all");
    const after = await r.run("exp", "show", "--json");
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe(before);
  });

  it("prints nothing but the workspace-less empty list in a repository without commits", async () => {
    const r = await makeRepo({ files: { "params.yaml": params("0.01") } });
    const res = await r.run("exp", "show", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual([]);
  });
});

describe("dvx exp show: sorting and columns", () => {
  async function three(): Promise<{ r: TmpRepo; ids: Record<string, string> }> {
    const { r, base } = await specRepo();
    const ids: Record<string, string> = {};
    const add = (name: string, acc: number, hour: string) =>
      (ids[name] = makeExperiment(
        r.dir,
        name,
        { "metrics.json": metrics(acc) },
        { baseline: base, date: `${TODAY}T${hour}:00:00Z` },
      ));
    add("low", 0.1, "11");
    add("high", 0.99, "12");
    add("mid", 0.5, "13");
    return { r, ids };
  }
  const experimentsOf = (md: string): string[] =>
    md
      .split("\n")
      .filter((l) => l.includes("── "))
      .map((l) => /\[(.+?)\]/.exec(l)![1]!);

  it("--sort-by orders each baseline's experiments (asc by default, desc; missing values last)", async () => {
    const { r } = await three();
    expect(experimentsOf((await r.run("exp", "show", "--md", "--sort-by", "acc")).stdout)).toEqual([
      "low",
      "mid",
      "my-exp",
      "high",
    ]);
    const desc = await r.run("exp", "show", "--md", "--sort-by", "metrics.json:acc", "--sort-order", "desc");
    expect(experimentsOf(desc.stdout)).toEqual(["high", "my-exp", "mid", "low"]);
    expect(desc.stdout).toMatch(/└── [0-9a-f]{7} \[low\]/);
    expect(experimentsOf((await r.run("exp", "show", "--md", "--sort-by", "params.yaml:lr")).stdout)).toEqual([
      "mid",
      "high",
      "low",
      "my-exp",
    ]);
  });

  it("an unknown or ambiguous sort column is a usage error", async () => {
    const { r } = await three();
    const unknown = await r.run("exp", "show", "--sort-by", "nope");
    expect(unknown.code).toBe(2);
    r.write({ "dvc.yaml": DVC_YAML + "metrics:\n  - other.json\n", "other.json": '{"acc": 1}' });
    const amb = await r.run("exp", "show", "--json", "--sort-by", "acc");
    expect(amb.code).toBe(0); // --json ignores table options
    const ambiguous = await r.run("exp", "show", "--md", "--sort-by", "acc");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/ambiguous/);
    // ...and the clash shows as file:name headers
    const md = await r.run("exp", "show", "--md");
    expect(md.stdout).toContain("| metrics.json:acc ");
    expect(md.stdout).toContain("| other.json:acc ");
  });

  it("--only-changed, --drop and --keep", async () => {
    const { r } = await three();
    const headers = async (...args: string[]): Promise<string[]> => {
      const res = await r.run("exp", "show", "--md", ...args);
      expect(res.code, res.stderr).toBe(0);
      return res.stdout
        .split("\n")[0]!
        .split("|")
        .map((c) => c.trim())
        .filter((c) => c !== "");
    };
    expect(await headers("--only-changed")).toEqual(["Experiment", "Created", "acc", "lr"]);
    expect(await headers("--drop", "loss|data")).toEqual([
      "Experiment",
      "Created",
      "acc",
      "lr",
      "train.epochs",
      "train.py",
    ]);
    expect(await headers("--drop", ".*", "--keep", "acc|Experiment")).toEqual(["Experiment", "acc"]);
    expect(await headers("--only-changed", "--keep", "train\\.")).toEqual([
      "Experiment",
      "Created",
      "acc",
      "lr",
      "train.epochs",
      "train.py",
    ]);
    const bad = await r.run("exp", "show", "--drop", "(");
    expect(bad.code).toBe(2);
  });

  it("--precision sets significant digits; the default is 5, as DVC's tables", async () => {
    const { r, base } = await specRepo();
    makeExperiment(
      r.dir,
      "precise",
      { "metrics.json": metrics(0.123456789, 1234.56789, 1e-7) },
      { baseline: base, date: `${TODAY}T11:00:00Z` },
    );
    const row = async (...args: string[]): Promise<string[]> => {
      const res = await r.run("exp", "show", ...args);
      const line = res.stdout.split(/\r?\n/).find((l) => l.includes("precise"))!;
      return line.split(/[|,]/).map((c) => c.trim());
    };
    expect((await row("--md")).slice(3, 6)).toEqual(["0.12346", "1234.6", "1e-07"]);
    expect((await row("--md", "--precision", "2")).slice(3, 6)).toEqual(["0.12", "1.2e+03", "1e-07"]);
    expect((await row("--csv")).slice(5, 8)).toEqual(["0.123456789", "1234.56789", "1e-07"]);
  });
});
