// metrics show/diff on real temp git repos across commits: declared order, formats, --precision/--no-path/--all,
// metrics inside cached outputs (read from the cache), unreadable files at one revision, -a/-T/-A, directions.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { metricsDiffOp } from "../../src/core/ops/metrics-diff.js";
import { openRepo } from "../../src/core/repo.js";
import type { Reporter } from "../../src/core/reporter.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const silentReporter: Reporter = {
  progress: () => ({ advance() {}, addTotal() {}, done() {} }),
  warn() {},
  info() {},
  debug() {},
};

const PIPELINE = `stages:
  train:
    cmd: ./train.sh
    metrics:
      - train.json:
          cache: false
  evaluate:
    cmd: ./eval.sh
    outs:
      - eval
    metrics:
      - scores.yaml:
          cache: false
metrics:
  - eval/metrics.json
  - summary.toml
`;

/** `dvx add`s a directory to fill the cache, then records it as stage `evaluate`'s output in dvc.lock instead. */
async function lockDir(r: TmpRepo, dir: string): Promise<void> {
  // dvx add refuses a path a stage already outputs: add it while dvc.yaml and dvc.lock are out of the way
  const yaml = r.read("dvc.yaml");
  rmSync(join(r.dir, "dvc.yaml"));
  rmSync(join(r.dir, "dvc.lock"), { force: true });
  const add = await r.run("add", "-q", dir);
  expect(add.code, add.stderr).toBe(0);
  r.write({ "dvc.yaml": yaml });
  const pointer = r.read(`${dir}.dvc`);
  const field = (k: string): string => new RegExp(`${k}: (\\S+)`).exec(pointer)![1]!;
  rmSync(join(r.dir, `${dir}.dvc`));
  r.write({
    "dvc.lock":
      `schema: '2.0'\nstages:\n  evaluate:\n    cmd: ./eval.sh\n    outs:\n    - path: ${dir}\n      hash: md5\n` +
      `      md5: ${field("md5")}\n      size: ${field("size")}\n      nfiles: ${field("nfiles")}\n`,
  });
}

async function twoCommits(): Promise<TmpRepo> {
  const r = await makeRepo({
    files: {
      "dvc.yaml": PIPELINE,
      "train.json": '{"loss": 0.5, "acc": 0.9, "epochs": 10}',
      "scores.yaml": "f1: 0.7\nname: base\n",
      "summary.toml": "[best]\nscore = 1.0\n",
      "eval/metrics.json": '{"auc": 0.8, "per_class": {"a": 0.5, "b": 0.25}}',
      "eval/plot.csv": "x,y\n1,2\n",
    },
  });
  await lockDir(r, "eval");
  r.commit("v1");
  r.write({
    "train.json": '{"loss": 0.25, "acc": 0.9123456789, "epochs": 10}',
    "scores.yaml": "f1: 0.75\nname: tuned\n",
    "eval/metrics.json": '{"auc": 0.85, "per_class": {"a": 0.5, "b": 0.5}}',
  });
  await lockDir(r, "eval");
  r.commit("v2");
  return r;
}

describe("dvx metrics diff", () => {
  it("compares two commits in declaration order, reading eval/metrics.json from the cache", async () => {
    const r = await twoCommits();
    rmSync(join(r.dir, "eval"), { recursive: true }); // not in the workspace: only the cache has it
    const res = await r.run("metrics", "diff", "HEAD~1", "HEAD");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe("");
    expect(res.stdout).toBe(
      [
        "Path               Metric       HEAD~1    HEAD     Change",
        "train.json         acc          0.9       0.91235  0.01235",
        "train.json         loss         0.5       0.25     -0.25",
        "scores.yaml        f1           0.7       0.75     0.05",
        "scores.yaml        name         base      tuned    -",
        "eval/metrics.json  auc          0.8       0.85     0.05",
        "eval/metrics.json  per_class.b  0.25      0.5      0.25",
        "",
      ].join("\n"),
    );
    const json = (await r.run("metrics", "diff", "HEAD~1", "HEAD", "--json")).json<Record<string, unknown>>();
    expect(Object.keys(json)).toEqual(["train.json", "scores.yaml", "eval/metrics.json"]);
    expect(json["train.json"]).toEqual({
      acc: { old: 0.9, new: 0.9123456789, diff: 0.9123456789 - 0.9 },
      loss: { old: 0.5, new: 0.25, diff: -0.25 },
    });
    expect(json["scores.yaml"]).toEqual({
      f1: { old: 0.7, new: 0.75, diff: 0.75 - 0.7 },
      name: { old: "base", new: "tuned" },
    });
  });

  it("--precision, --no-path, --all and --md", async () => {
    const r = await twoCommits();
    const p2 = await r.run(
      "metrics",
      "diff",
      "HEAD~1",
      "HEAD",
      "--precision",
      "2",
      "--no-path",
      "--targets",
      "train.json",
    );
    expect(p2.stdout).toBe(
      [
        "Metric    HEAD~1    HEAD    Change",
        "acc       0.9       0.91    0.01",
        "loss      0.5       0.25    -0.25",
        "",
      ].join("\n"),
    );
    const all = await r.run(
      "metrics",
      "diff",
      "HEAD~1",
      "HEAD",
      "--all",
      "--md",
      "--targets",
      "summary.toml",
      "train.json",
    );
    expect(all.stdout).toBe(
      [
        "| Path         | Metric     | HEAD~1   | HEAD    | Change   |",
        "|--------------|------------|----------|---------|----------|",
        "| summary.toml | best.score | 1.0      | 1.0     | 0.0      |",
        "| train.json   | acc        | 0.9      | 0.91235 | 0.01235  |",
        "| train.json   | epochs     | 10       | 10      | 0        |",
        "| train.json   | loss       | 0.5      | 0.25    | -0.25    |",
        "",
        "",
      ].join("\n"),
    );
    // nothing changed: a plain table prints nothing, --md its header
    expect((await r.run("metrics", "diff", "HEAD", "HEAD")).stdout).toBe("");
    expect((await r.run("metrics", "diff", "HEAD", "HEAD", "--md")).stdout).toMatch(/^\| Path +\| Metric +\| HEAD/);
  });

  it("defaults to HEAD vs the workspace; a directory output declared as metrics is read file by file", async () => {
    const r = await twoCommits();
    r.write({ "train.json": '{"loss": 0.125, "acc": 0.9123456789, "epochs": 10}' });
    const res = await r.run("metrics", "diff", "--json", "--targets", "train.json", "eval");
    expect(res.code).toBe(0);
    expect(res.json()).toEqual({ "train.json": { loss: { old: 0.25, new: 0.125, diff: -0.125 } } });
    const show = await r.run("metrics", "show", "--json", "eval");
    expect(Object.keys((show.json() as { "": { data: object } })[""].data)).toEqual([
      "eval/metrics.json",
      "eval/plot.csv",
    ]);
  });

  it("a malformed file at one revision: the rest is shown, a warning names it, exit 0", async () => {
    const r = await twoCommits();
    r.write({ "train.json": '{"loss": 0.25,' });
    const res = await r.run("metrics", "diff", "--json");
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/train\.json/);
    const json = res.json<Record<string, Record<string, { old: unknown; new: unknown }>>>();
    expect(json["train.json"]!.loss).toEqual({ old: 0.25, new: null }); // DVC: the unreadable side is empty
    const repo = await openRepo({ cwd: r.dir, env: {}, umask: 0o022, reporter: silentReporter });
    const op = await metricsDiffOp(repo, { cwd: r.dir });
    expect(op.errors).toEqual([
      expect.objectContaining({ rev: "workspace", path: "train.json", code: "METRICS_FILE" }),
    ]);
    expect(op.rows.filter((row) => row.path === "scores.yaml")).toEqual([]);
  });

  it("a cached file whose object is gone from the cache: NOT_IN_CACHE for that revision, exit 0", async () => {
    const r = await twoCommits();
    const lock1 = r.git("show", "HEAD~1:dvc.lock");
    const dirHash = /md5: (\w+)\.dir/.exec(lock1)![1]!;
    rmSync(join(r.dir, ".dvc/cache/files/md5", dirHash.slice(0, 2), `${dirHash.slice(2)}.dir`), { force: true });
    const res = await r.run("metrics", "diff", "HEAD~1", "HEAD", "--targets", "eval/metrics.json");
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/eval\/metrics\.json/);
    const repo = await openRepo({ cwd: r.dir, env: {}, umask: 0o022, reporter: silentReporter });
    const op = await metricsDiffOp(repo, { cwd: r.dir, aRev: "HEAD~1", bRev: "HEAD", targets: ["eval/metrics.json"] });
    expect(op.errors).toEqual([expect.objectContaining({ rev: "HEAD~1", code: "NOT_IN_CACHE" })]);
    expect(op.rows.find((row) => row.key === "auc")).toMatchObject({ old: null, new: 0.85 });
  });

  it("carries a direction and a verdict per row (dvx.config [metrics] and --direction), not in the JSON", async () => {
    const r = await twoCommits();
    expect((await r.run("config", "metrics.direction.loss", "lower")).code).toBe(0);
    expect(readFileSync(join(r.dir, ".dvc/dvx.config"), "utf8")).toMatch(/\[metrics\]\n\s+direction\.loss = lower/);
    expect((await r.run("config", "metrics.direction.acc", "sideways")).code).toBe(4);
    const repo = await openRepo({ cwd: r.dir, env: {}, umask: 0o022, reporter: silentReporter });
    const op = await metricsDiffOp(repo, {
      cwd: r.dir,
      aRev: "HEAD~1",
      bRev: "HEAD",
      directions: new Map([
        ["scores.yaml:f1", "lower" as const],
        ["auc", "higher" as const],
      ]),
    });
    const verdict = (path: string, key: string) => op.rows.find((x) => x.path === path && x.key === key);
    expect(verdict("train.json", "loss")).toMatchObject({ direction: "lower", verdict: "improved" });
    expect(verdict("scores.yaml", "f1")).toMatchObject({ direction: "lower", verdict: "regressed" });
    expect(verdict("eval/metrics.json", "auc")).toMatchObject({ direction: "higher", verdict: "improved" });
    expect(verdict("train.json", "acc")?.verdict).toBeUndefined();
    const cli = await r.run("metrics", "diff", "HEAD~1", "HEAD", "--json", "--direction", "acc=higher");
    expect(JSON.stringify(cli.json())).not.toMatch(/verdict|direction/);
    expect((await r.run("metrics", "diff", "--direction", "acc=up")).code).toBe(2);
  });

  it("a repository without commits has nothing to compare", async () => {
    const r = await makeRepo({ files: { "dvc.yaml": "metrics:\n  - m.json\n", "m.json": '{"a": 1}' } });
    const res = await r.run("metrics", "diff", "--json");
    expect(res.code).toBe(0);
    expect(res.json()).toEqual({});
  });
});

describe("dvx metrics show", () => {
  it("shows the workspace as DVC's JSON and tables (--md, --csv), with - for missing values", async () => {
    const r = await twoCommits();
    const json = (await r.run("metrics", "show", "--json")).json<Record<string, { data: Record<string, unknown> }>>();
    expect(Object.keys(json[""]!.data)).toEqual(["train.json", "scores.yaml", "eval/metrics.json", "summary.toml"]);
    expect(json[""]!.data["summary.toml"]).toEqual({ data: { best: { score: 1 } } });
    const md = await r.run("metrics", "show", "--md", "train.json", "summary.toml");
    expect(md.stdout).toBe(
      [
        "| Path         | acc     | best.score   | epochs   | loss   |",
        "|--------------|---------|--------------|----------|--------|",
        "| train.json   | 0.91235 | -            | 10       | 0.25   |",
        "| summary.toml | -       | 1.0          | -        | -      |",
        "",
        "",
      ].join("\n"),
    );
    const csv = await r.run("metrics", "show", "--csv", "--precision", "3", "train.json");
    expect(csv.stdout).toBe("Path,acc,epochs,loss\r\ntrain.json,0.912,10,0.25\r\n");
  });

  it("a missing target is an error entry: JSON says so, the table shows dashes, exit 0", async () => {
    const r = await twoCommits();
    const res = await r.run("metrics", "show", "--json", "nope.json", "train.json");
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/nope\.json/);
    const data = (res.json() as Record<string, { data: Record<string, { error?: { type: string } }> }>)[""]!.data;
    expect(data["nope.json"]!.error!.type).toBe("FILE_NOT_FOUND_AT_REV");
    const plain = await r.run("metrics", "show", "nope.json", "train.json", "-q");
    expect(plain.stderr).toBe("");
    expect(plain.stdout.split("\n")[1]).toMatch(/^nope\.json\s+-\s+-\s+-$/);
  });

  it("-a / -T / -A: one row per branch, tag and commit; the workspace only when it differs from the branch", async () => {
    const r = await twoCommits();
    r.git("tag", "v1", "HEAD~1");
    r.git("branch", "old", "HEAD~1");
    const branches = await r.run("metrics", "show", "-a", "--json", "train.json");
    expect(Object.keys(branches.json() as object)).toEqual(["main", "old"]);
    // -T alone: the checked-out branch is not among the rows, so the workspace is not hidden (as in DVC)
    const tags = await r.run("metrics", "show", "-T", "train.json");
    expect(tags.stdout).toBe(
      [
        "Revision    Path        acc      epochs    loss",
        "workspace   train.json  0.91235  10        0.25",
        "v1          train.json  0.9      10        0.5",
        "",
      ].join("\n"),
    );
    r.write({ "train.json": '{"loss": 0.1}' });
    const both = await r.run("metrics", "show", "-a", "-T", "--json", "train.json");
    expect(Object.keys(both.json() as object)).toEqual(["workspace", "main", "old, v1"]);
    const all = await r.run("metrics", "show", "-A", "--json", "train.json");
    const head = r.git("rev-parse", "HEAD").trim();
    const first = r.git("rev-parse", "HEAD~1").trim();
    expect(Object.keys(all.json() as object)).toEqual(["workspace", head, first]);
  });
});
