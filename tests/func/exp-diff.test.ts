// dvx exp diff on real git repos with experiments made by git plumbing: the default (HEAD vs the workspace),
// experiment names / refs / short hashes resolved to their commits, DVC's JSON and the two tables of
// CmdExperimentsDiff (metrics rounded to 5 significant digits, params as written, "diff not supported").
import { describe, expect, it } from "vitest";
import { commitAt, makeExperiment } from "../helpers/exp-repo.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";
import { DVC_YAML, lock, metrics, params } from "../helpers/exp-fixture.js";

async function repo(): Promise<{ r: TmpRepo; base: string; exp: string }> {
  const r = await makeRepo({
    files: {
      "dvc.yaml": DVC_YAML,
      "dvc.lock": lock("0.01"),
      "params.yaml": params("0.01") + "extra: keep\n",
      "metrics.json": metrics(0.9),
      "data.csv": "a,b\n1,2\n",
      "train.py": "print('train')\n",
    },
  });
  r.git("checkout", "-q", "-b", "master");
  const base = commitAt(r.dir, "baseline", "2026-01-01T10:00:00Z");
  const exp = makeExperiment(
    r.dir,
    "my-exp",
    { "params.yaml": params("0.05") + "extra: changed\n", "metrics.json": metrics(0.95) },
    { date: "2026-01-01T11:00:00Z" },
  );
  return { r, base, exp };
}

const md = (rows: string[][]): string => {
  const w = rows[0]!.map((h, i) => Math.max(h.length + 2, ...rows.slice(1).map((r) => r[i]!.length)));
  const line = (r: string[]): string => "| " + r.map((c, i) => c.padEnd(w[i]!)).join(" | ") + " |";
  return (
    [line(rows[0]!), "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|", ...rows.slice(1).map(line)].join("\n") +
    "\n\n"
  );
};

describe("dvx exp diff", () => {
  it("compares a baseline and an experiment by name: DVC's two --md tables", async () => {
    const { r } = await repo();
    const res = await r.run("exp", "diff", "master", "my-exp", "--md");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(
      md([
        ["Path", "Metric", "master", "my-exp", "Change"],
        ["metrics.json", "acc", "0.9", "0.95", "0.05"],
      ]) +
        "\n" +
        md([
          ["Path", "Param", "master", "my-exp", "Change"],
          ["params.yaml", "extra", "keep", "changed", "diff not supported"],
          ["params.yaml", "lr", "0.01", "0.05", "0.04"],
        ]),
    );
  });

  it("--json holds the raw values of both sides, as metrics diff and params diff do", async () => {
    const { r, exp } = await repo();
    const res = await r.run("exp", "diff", "master", exp.slice(0, 7), "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({
      metrics: { "metrics.json": { acc: { old: 0.9, new: 0.95, diff: 0.95 - 0.9 } } },
      params: {
        "params.yaml": { extra: { old: "keep", new: "changed" }, lr: { old: 0.01, new: 0.05, diff: 0.05 - 0.01 } },
      },
    });
  });

  it("defaults to HEAD against the workspace; --all keeps unchanged values, --no-path drops the Path column", async () => {
    const { r } = await repo();
    r.write({ "metrics.json": metrics(0.8, 0.1, 0.25) });
    const res = await r.run("exp", "diff", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({
      metrics: {
        "metrics.json": {
          acc: { old: 0.9, new: 0.8, diff: 0.8 - 0.9 },
          "loss.val": { old: 0.2, new: 0.25, diff: 0.25 - 0.2 },
        },
      },
      params: {},
    });
    const all = await r.run("exp", "diff", "--all", "--no-path");
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe(
      [
        "Metric      HEAD    workspace    Change",
        "acc         0.9     0.8          -0.1",
        "loss.train  0.1     0.1          0",
        "loss.val    0.2     0.25         0.05",
        "",
        "Param         HEAD    workspace    Change",
        "extra         keep    keep         diff not supported",
        "lr            0.01    0.01         0.0",
        "train.epochs  10      10           0",
        "",
      ].join("\n"),
    );
  });

  it("--param-deps compares only the params stages depend on", async () => {
    const { r } = await repo();
    const res = await r.run("exp", "diff", "master", "my-exp", "--param-deps", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(Object.keys(res.json<{ params: Record<string, object> }>().params["params.yaml"]!)).toEqual(["lr"]);
  });

  it("names: a full ref, the experiment on HEAD's baseline when several share a name, else ambiguous", async () => {
    const { r, base, exp } = await repo();
    const full = `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/my-exp`;
    const byRef = await r.run("exp", "diff", "master", full, "--json");
    expect(byRef.code, byRef.stderr).toBe(0);
    expect(byRef.json()).toEqual((await r.run("exp", "diff", "master", "my-exp", "--json")).json());
    // a second baseline with its own my-exp: on master, master's wins
    r.git("checkout", "-q", "-b", "other");
    r.write({ "metrics.json": metrics(0.1) });
    const other = commitAt(r.dir, "other", "2026-01-02T00:00:00Z");
    makeExperiment(r.dir, "my-exp", { "metrics.json": metrics(0.2) }, { date: "2026-01-02T01:00:00Z" });
    const onOther = await r.run("exp", "diff", other, "my-exp", "--json");
    expect(
      onOther.json<{ metrics: Record<string, Record<string, { new: number }>> }>().metrics["metrics.json"]!.acc!.new,
    ).toBe(0.2);
    r.git("checkout", "-q", "master");
    const onMaster = await r.run("exp", "diff", "master", "my-exp", "--json");
    expect(
      onMaster.json<{ metrics: Record<string, Record<string, { new: number }>> }>().metrics["metrics.json"]!.acc!.new,
    ).toBe(0.95);
    r.git("checkout", "-q", "--detach", exp);
    const ambiguous = await r.run("exp", "diff", "master", "my-exp", "--json");
    expect(ambiguous.code).toBe(1);
    expect(JSON.parse(ambiguous.stderr).error.code).toBe("EXPERIMENT_AMBIGUOUS");
  });

  it("an unknown name fails with REVISION_NOT_FOUND", async () => {
    const { r } = await repo();
    const res = await r.run("exp", "diff", "nope", "--json");
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(JSON.parse(res.stderr).error.code).toBe("REVISION_NOT_FOUND");
  });

  it("a malformed metrics file on one side compares against nothing and is reported on stderr", async () => {
    const { r, base } = await repo();
    makeExperiment(r.dir, "bad", { "metrics.json": "{oops" }, { baseline: base });
    const res = await r.run("exp", "diff", "master", "bad", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({
      metrics: {
        "metrics.json": {
          acc: { old: 0.9, new: null },
          "loss.train": { old: 0.1, new: null },
          "loss.val": { old: 0.2, new: null },
        },
      },
      params: {},
    });
    expect(res.stderr).toMatch(/warning: could not read 'metrics.json' at bad/);
  });

  it("prints {} in a repository without commits", async () => {
    const r = await makeRepo({ files: { "params.yaml": params("0.01") } });
    const res = await r.run("exp", "diff", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({});
  });
});
