// dvx ci report on real temp git repos with two commits: metrics (with directions), params, a plot, a cached output
// whose CSV changed (rows counted), a file past the size limit, a binary file, a deleted and an added file; objects of
// the base missing from the cache but on the (local) remote are fetched; without a remote they are named, not
// compared. Plus the default base from the GitHub Actions environment, -o/--json/--name/--targets, the run record.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tmpDir, makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const csv = (from: number, to: number): string =>
  ["id,species,mass", ...Array.from({ length: to - from }, (_, i) => `${from + i},adelie,${3000 + from + i}`)].join(
    "\n",
  ) + "\n";
const big = (tag: string): string => Array.from({ length: 200 }, (_, i) => `${tag},${i},${"x".repeat(20)}`).join("\n");
/** A training-loss curve in git (a plot of dvc.yaml): 5 steps decaying by `rate`. */
const loss = (rate: number): string =>
  ["step,loss", ...Array.from({ length: 5 }, (_, i) => `${i},${(2 * rate ** i).toFixed(3)}`)].join("\n") + "\n";
const binary = (seed: number): Buffer => Buffer.from(Array.from({ length: 300 }, (_, i) => (i * seed) % 256));

interface Json {
  base: { commit: string; label: string; workspace: boolean; why?: string };
  head: { commit: string | null; label: string; workspace: boolean };
  output: string | null;
  metrics: { files: string[]; rows: Array<{ key: string; old: unknown; new: unknown; verdict?: string }> };
  params: { rows: Array<{ key: string; old: unknown; new: unknown }> };
  data: {
    outputCount: number;
    problems: string[];
    outputs: Array<{
      output: string;
      isDir: boolean;
      counts: Record<string, number>;
      files: Array<{ path: string; status: string; rows?: Record<string, unknown>; skip?: Record<string, unknown> }>;
    }>;
  };
  plots: { kind: "markdown"; markdown: string } | { kind: "none" };
  run: { stages: Array<{ stage: string; action: string }> } | null;
  fetched: number;
  markdown: string;
}

async function ok(r: TmpRepo, ...argv: string[]): Promise<string> {
  const res = await r.run(...argv);
  expect(res.code, `${argv.join(" ")}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

/**
 * base: data/ (train.csv 100 rows, big.csv, img.bin, old.csv, notes.txt), metrics.json, params.yaml, loss.csv (a
 * plot, in git); pushed. head: train.csv −15 +120 rows, big.csv and img.bin changed, old.csv deleted, new.jsonl
 * added, metrics, params and the loss curve changed; pushed. Then the cache is emptied and `dvx pull` brings back
 * the head's objects only (a CI checkout).
 */
async function twoCommits(): Promise<{ r: TmpRepo; base: string; head: string; remote: string }> {
  const r = await makeRepo({
    files: {
      "dvc.yaml": "metrics:\n  - metrics.json\nplots:\n  - loss.csv:\n      x: step\n      y: loss\n",
      "loss.csv": loss(0.9),
      "params.yaml": "train:\n  lr: 0.1\n  epochs: 10\n",
      "metrics.json": '{"acc": 0.9, "loss": 0.25}\n',
      "data/train.csv": csv(0, 100),
      "data/big.csv": big("a"),
      "data/img.bin": binary(7),
      "data/old.csv": csv(0, 5),
      "data/notes.txt": "one\ntwo\n",
    },
  });
  const remote = tmpDir("dvx-remote-");
  await ok(r, "remote", "add", "--local", "-d", "store", remote);
  await ok(r, "add", "-q", "data");
  const base = r.commit("base");
  await ok(r, "push", "-q");
  rmSync(join(r.dir, "data/old.csv"));
  r.write({
    "data/train.csv": csv(15, 220),
    "data/big.csv": big("b"),
    "data/img.bin": binary(11),
    "data/new.jsonl": '{"id": 1}\n{"id": 2}\n{"id": 3}\n',
    "metrics.json": '{"acc": 0.92, "loss": 0.3}\n',
    "params.yaml": "train:\n  lr: 0.3\n  epochs: 10\n",
    "loss.csv": loss(0.7),
  });
  await ok(r, "add", "-q", "data");
  const head = r.commit("head");
  await ok(r, "push", "-q");
  rmSync(join(r.dir, ".dvc/cache"), { recursive: true, force: true });
  await ok(r, "pull", "-q");
  return { r, base, head, remote };
}

const fileOf = (j: Json, path: string) => j.data.outputs.flatMap((o) => o.files).find((f) => f.path === path);

describe("dvx ci report", () => {
  it("reports metrics, params and the rows of changed data, fetching the base's objects from the remote", async () => {
    const { r, base, head } = await twoCommits();
    const res = await r.run(
      "ci",
      "report",
      "--base",
      "HEAD~1",
      "--direction",
      "acc=higher,loss=lower",
      "--text-limit",
      "4KB",
      "--json",
    );
    expect(res.code, res.stderr).toBe(0);
    const j = res.json<Json>();
    expect(j.base).toMatchObject({ commit: base, label: base.slice(0, 7), workspace: false, why: "`HEAD~1`" });
    expect(j.head).toMatchObject({ commit: head, label: head.slice(0, 7), workspace: true });
    expect(j.metrics.rows).toEqual([
      expect.objectContaining({ key: "acc", old: 0.9, new: 0.92, verdict: "improved" }),
      expect.objectContaining({ key: "loss", old: 0.25, new: 0.3, verdict: "regressed" }),
    ]);
    expect(j.params.rows).toEqual([expect.objectContaining({ key: "train.lr", old: 0.1, new: 0.3 })]);
    expect(j.data.outputs).toHaveLength(1);
    expect(j.data.outputs[0]).toMatchObject({
      output: "data",
      isDir: true,
      counts: { added: 1, modified: 3, deleted: 1, renamed: 0 },
    });
    expect(fileOf(j, "data/train.csv")).toMatchObject({
      status: "modified",
      rows: { unit: "rows", added: 120, removed: 15, headerChanged: false, orderIgnored: false },
    });
    expect(fileOf(j, "data/big.csv")).toMatchObject({ skip: { kind: "too-large", limit: 4096 } });
    expect(fileOf(j, "data/img.bin")).toMatchObject({ skip: { kind: "binary" } });
    expect(fileOf(j, "data/old.csv")).toMatchObject({ status: "deleted", rows: { added: 0, removed: 5 } });
    expect(fileOf(j, "data/new.jsonl")).toMatchObject({ status: "added", rows: { added: 3, removed: 0 } });
    expect(fileOf(j, "data/notes.txt")).toBeUndefined();
    // from the remote: the base's directory manifest and the old train.csv and old.csv; not the too large big.csv
    // nor img.bin (.bin is binary whatever its bytes)
    expect(j.fetched).toBe(3);
    expect(j.data.problems).toEqual([]);
    expect(j.markdown).toContain("| `data/train.csv` | modified | +120 −15 rows |");
    // the declared plot, both sides overlaid as Mermaid (the workspace's curve first), legends by short hash
    expect(j.plots.kind).toBe("markdown");
    const chart = /### Plots\n\n#### loss\.csv\n\n```mermaid\n[\s\S]*?xychart-beta\n([\s\S]*?)```\n\n(.*)\n/.exec(
      j.markdown,
    );
    expect(chart?.[1]).toContain("line [2, 1.4, 0.98, 0.686, 0.48]\n  line [2, 1.8, 1.62, 1.458, 1.312]\n");
    expect(chart?.[2]).toBe(`🟪 ${head.slice(0, 7)} · 🟦 ${base.slice(0, 7)}`);
  });

  it("writes the same report as Markdown (-o), stable for fixed commits", async () => {
    const { r } = await twoCommits();
    const res = await r.run(
      "ci",
      ...["report", "--base", "HEAD~1", "--name", "data", "-o", "out/report.md", "--text-limit", "4KB"],
      ...["--direction", "acc=higher", "--direction", "loss=lower"],
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^wrote the 'data' report to .*out\/report\.md/);
    await expect(r.read("out/report.md")).toMatchFileSnapshot("__snapshots__/ci-report.md");
  });

  it("names what it cannot compare when the base's objects are in neither the cache nor a remote", async () => {
    const { r } = await twoCommits();
    await ok(r, "remote", "remove", "--local", "store");
    const res = await r.run("ci", "report", "--base", "HEAD~1", "--json");
    expect(res.code, res.stderr).toBe(0);
    const j = res.json<Json>();
    expect(j.fetched).toBe(0);
    expect(j.data.problems.join("\n")).toContain("no default remote is set");
    // without the base's manifest the directory cannot be listed file by file
    expect(j.data.outputs[0]!.files).toEqual([
      { path: "data/", status: "modified", skip: { kind: "unavailable", reason: expect.any(String) } },
    ]);
  });

  it("compares two commits (--head) from the cache, and limits every section to --targets", async () => {
    const { r } = await twoCommits();
    const res = await r.run(
      "ci",
      "report",
      "--base",
      "HEAD~1",
      "--head",
      "HEAD",
      "--targets",
      "data/train.csv",
      "--json",
    );
    expect(res.code, res.stderr).toBe(0);
    const j = res.json<Json>();
    expect(j.head).toMatchObject({ workspace: false, why: "`HEAD`" });
    expect(j.metrics.files).toEqual([]);
    expect(j.data.outputs[0]!.files.map((f) => f.path)).toEqual(["data/train.csv"]);
    expect(fileOf(j, "data/train.csv")?.rows).toMatchObject({ added: 120, removed: 15 });
    expect(j.markdown).toContain("No metrics files under `data/train.csv`.");
    expect(j.plots).toEqual({ kind: "none" }); // loss.csv is not under the target
    expect(j.markdown).toContain("### Plots\n\nNo plots under `data/train.csv`.\n");
  });

  it("takes the text limit from ci.text_limit", async () => {
    const { r } = await twoCommits();
    await ok(r, "config", "ci.text_limit", "1KB");
    const j = (await r.run("ci", "report", "--base", "HEAD~1", "--json")).json<Json>();
    expect(fileOf(j, "data/train.csv")).toMatchObject({ skip: { kind: "too-large", limit: 1024 } });
  });

  it("marks improvements and regressions by the directions of .dvc/dvx.config, without --direction", async () => {
    const { r } = await twoCommits();
    const none = (await r.run("ci", "report", "--base", "HEAD~1", "--json")).json<Json>();
    expect(none.metrics.rows.map((x) => x.verdict)).toEqual([undefined, undefined]);
    expect(none.markdown).toMatch(/\| metrics\.json \| acc +\| 0\.9 +\| 0\.92 +\| 0\.02 ▲ +\|/);
    await ok(r, "config", "metrics.direction.acc", "higher");
    await ok(r, "config", "metrics.direction.loss", "lower");
    const j = (await r.run("ci", "report", "--base", "HEAD~1", "--json")).json<Json>();
    expect(j.metrics.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["acc", "improved"],
      ["loss", "regressed"],
    ]);
    expect(j.markdown).toContain("1 improved, 1 regressed.");
    expect(j.markdown).toMatch(/\| metrics\.json \| loss +\| 0\.25 +\| 0\.3 +\| 0\.05 ▲ regressed +\|/);
  });

  it("lists the stages the newest repro ran", async () => {
    const r = await makeRepo({
      files: { "dvc.yaml": "stages:\n  copy:\n    cmd: cp in.txt out.txt\n    deps: [in.txt]\n    outs: [out.txt]\n" },
    });
    r.write({ "in.txt": "1\n" });
    r.commit("pipeline");
    r.write({ "in.txt": "2\n" });
    const none = (await r.run("ci", "report", "--base", "HEAD", "--json")).json<Json>();
    expect(none.run).toBeNull();
    expect(none.markdown).toContain("No `dvx repro` run is recorded in this workspace.");
    await ok(r, "repro", "-q");
    const j = (await r.run("ci", "report", "--base", "HEAD", "--json")).json<Json>();
    expect(j.head.label).toBe("workspace"); // the workspace of the base commit itself
    expect(j.run?.stages).toEqual([expect.objectContaining({ stage: "copy", action: "ran" })]);
    expect(j.markdown).toMatch(/\| `copy` \| ran \| \d+ (ms|\.\d s) \|/);
  });

  it("refuses a bad name or size, and a first commit without a base", async () => {
    const r = await makeRepo({ files: { "a.txt": "a\n" } });
    r.commit("first");
    for (const argv of [
      ["--name", "a--b"],
      ["--text-limit", "lots"],
      ["--direction", "acc=up"],
    ]) {
      const res = await r.run("ci", "report", "--base", "HEAD", ...argv);
      expect(res.code, argv.join(" ")).toBe(2);
    }
    const first = await r.run("ci", "report", "--json");
    expect(first.code).toBe(2);
    expect(JSON.parse(first.stderr)).toMatchObject({ error: { code: "USAGE" } });
  });
});

describe("dvx ci report: the default base", () => {
  /** main: c1 ─ c2; feature: c1 ─ f1 (checked out). */
  async function prRepo(): Promise<{ r: TmpRepo; c1: string; c2: string; f1: string }> {
    const r = await makeRepo({ files: { "params.yaml": "lr: 1\n" } });
    const c1 = r.commit("c1");
    r.write({ "notes.txt": "main moved on\n" });
    const c2 = r.commit("c2");
    r.git("checkout", "-q", "-b", "feature", c1);
    r.write({ "params.yaml": "lr: 3\n" });
    const f1 = r.commit("f1");
    return { r, c1, c2, f1 };
  }

  const prEnv = (dir: string, base: { sha: string; ref: string }): Record<string, string> => {
    const path = join(dir, "..", `${Math.random().toString(36).slice(2)}-event.json`);
    writeFileSync(path, JSON.stringify({ number: 7, pull_request: { number: 7, base } }));
    return { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: path, GITHUB_BASE_REF: base.ref };
  };

  const report = async (r: TmpRepo, env: Record<string, string>): Promise<Json> => {
    const { runCli } = await import("../helpers/run-cli.js");
    const res = await runCli(r.dir, ["ci", "report", "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    return res.json<Json>();
  };

  it("in a pull request: the merge base of the base commit and the head; a merge checkout: the base commit", async () => {
    const { r, c1, c2, f1 } = await prRepo();
    const dir = tmpDir();
    const onHead = await report(r, prEnv(dir, { sha: c2, ref: "main" }));
    expect(onHead.base).toMatchObject({
      commit: c1,
      why: "the merge base of the pull request's base `main` and the head",
    });
    expect(onHead.head.commit).toBe(f1);
    expect(onHead.params.rows).toEqual([expect.objectContaining({ key: "lr", old: 1, new: 3 })]);
    // actions/checkout's default for pull_request: the merge commit of the head into the base
    r.git("checkout", "-q", "--detach", c2);
    r.git("merge", "-q", "--no-ff", "-m", "merge", "feature");
    const onMerge = await report(r, prEnv(dir, { sha: c2, ref: "main" }));
    expect(onMerge.base).toMatchObject({ commit: c2, why: "the pull request's base `main`" });
  });

  it("finds the base branch by name when the event's base commit is not in the clone, else fails clearly", async () => {
    const { r, c1 } = await prRepo();
    const dir = tmpDir();
    const byName = await report(r, prEnv(dir, { sha: "1".repeat(40), ref: "main" }));
    expect(byName.base.commit).toBe(c1);
    const { runCli } = await import("../helpers/run-cli.js");
    const res = await runCli(r.dir, ["ci", "report", "--json"], prEnv(dir, { sha: "1".repeat(40), ref: "gone" }));
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toMatchObject({ error: { code: "BASE_COMMIT_MISSING" } });
  });

  it("on a push: the commit before the push; elsewhere: the head's parent", async () => {
    const { r, c1, c2 } = await prRepo();
    r.git("checkout", "-q", "main");
    const dir = tmpDir();
    const path = join(dir, "push.json");
    writeFileSync(path, JSON.stringify({ before: c1, after: c2 }));
    const push = await report(r, { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: path });
    expect(push.base).toMatchObject({ commit: c1, why: "the commit before the push" });
    writeFileSync(path, JSON.stringify({ before: "0".repeat(40), after: c2 }));
    const created = await report(r, { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: path });
    expect(created.base).toMatchObject({ commit: c1, why: "the parent of the head" });
    const local = await report(r, {});
    expect(local.base).toMatchObject({ commit: c1, why: "the parent of the head" });
  });
});
