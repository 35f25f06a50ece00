// Experiments made by `dvx exp run -S ...` (the built CLI, as a process) are what `dvx exp show` and `dvx exp diff`
// read: each under its baseline with the params it ran with, the metrics and outputs its run produced, and the
// hashes of its dependencies; the workspace row holds the last run's results (exp run leaves them applied).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runBuilt, type ProcResult } from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const TRAIN = `import { readFileSync, writeFileSync } from "node:fs";
const p = readFileSync("params.yaml", "utf8");
const lr = Number(/lr: *([0-9.e+-]+)/.exec(p)[1]);
const epochs = Number(/epochs: *(\\d+)/.exec(p)[1]);
writeFileSync("model.bin", "model lr=" + lr + " epochs=" + epochs + "\\n");
writeFileSync("metrics.json", JSON.stringify({ acc: lr * 2, loss: 1 / epochs }) + "\\n");
`;
const FILES = {
  "params.yaml": "train:\n  lr: 0.1  # learning rate\n  epochs: 4\n",
  "train.mjs": TRAIN,
  "dvc.yaml":
    "stages:\n  train:\n    cmd: node train.mjs\n    deps:\n    - train.mjs\n    params:\n    - train\n" +
    "    outs:\n    - model.bin\n    metrics:\n    - metrics.json:\n        cache: false\n",
};
const md5 = (s: string): string => createHash("md5").update(s).digest("hex");

type Files = Record<string, { data?: Record<string, unknown>; error?: unknown }>;
interface Data {
  rev: string;
  params: Files;
  metrics: Files;
  deps: Record<string, { hash: string | null }>;
  outs: Record<string, { hash: string | null }>;
}
interface State {
  rev: string;
  name: string | null;
  data: Data;
  experiments: Array<{ name: string; revs: State[] }> | null;
}

/** The built CLI with fixed identities; each call's commit one minute after the last (distinct, ordered times). */
function cli(dir: string): (...argv: string[]) => Promise<ProcResult> {
  let minute = 0;
  return (...argv) => {
    const date = `@${1_767_225_600 + 60 * minute++} +0000`;
    return runBuilt(dir, argv, {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      TZ: "UTC",
    });
  };
}

function ok(res: ProcResult, what: string): string {
  expect(res.code, `${what}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

/** A committed, reproduced baseline and three experiments run on it. */
async function threeRuns(): Promise<{ r: TmpRepo; dvx: ReturnType<typeof cli>; base: string; refs: string[] }> {
  const r = await makeRepo({ files: FILES });
  const dvx = cli(r.dir);
  ok(await dvx("repro", "-q"), "repro");
  const base = r.commit("baseline");
  const refs: string[] = [];
  for (const [name, sets] of [
    ["lr-02", ["train.lr=0.2"]],
    ["lr-03-e8", ["train.lr=0.3", "train.epochs=8"]],
    ["lr-005", ["train.lr=0.05"]],
  ] as const) {
    const out = ok(await dvx("exp", "run", "--json", "-n", name, ...sets.flatMap((s) => ["-S", s])), name);
    refs.push(JSON.parse(out).ref as string);
  }
  return { r, dvx, base, refs };
}

describe("dvx exp show / exp diff over experiments made by dvx exp run", () => {
  it("exp show --json lists each run under its baseline with its params, metrics, deps and outs", async () => {
    const { r, dvx, base, refs } = await threeRuns();
    const states = JSON.parse(ok(await dvx("exp", "show", "--json"), "show")) as State[];
    expect(states.map((s) => s.rev)).toEqual(["workspace", base]);
    const [workspace, baseline] = states as [State, State];
    expect(baseline.data.params["params.yaml"]!.data).toEqual({ train: { lr: 0.1, epochs: 4 } });
    expect(baseline.data.metrics["metrics.json"]!.data).toEqual({ acc: 0.2, loss: 0.25 });

    // newest first; each range names its experiment, and its revision is the ref's commit
    const exps = baseline.experiments!;
    expect(exps.map((e) => e.name)).toEqual(["lr-005", "lr-03-e8", "lr-02"]);
    expect(exps.map((e) => e.revs[0]!.rev)).toEqual(refs.map((ref) => r.git("rev-parse", ref).trim()).reverse());
    const expected: Record<string, [number, number]> = { "lr-02": [0.2, 4], "lr-03-e8": [0.3, 8], "lr-005": [0.05, 8] };
    for (const e of exps) {
      const s = e.revs[0]!;
      const [lr, epochs] = expected[e.name]!;
      expect(s.name).toBe(e.name);
      expect(s.data.params["params.yaml"]!.data).toEqual({ train: { lr, epochs } });
      expect(s.data.metrics["metrics.json"]!.data).toEqual({ acc: lr * 2, loss: 1 / epochs });
      expect(s.data.deps["train.mjs"]!.hash).toBe(md5(TRAIN));
      expect(s.data.outs["model.bin"]!.hash).toBe(md5(`model lr=${lr} epochs=${epochs}\n`));
    }
    // exp run leaves the last run's results in the workspace (so lr-005 started from lr-03-e8's epochs)
    expect(workspace.data.params["params.yaml"]!.data).toEqual({ train: { lr: 0.05, epochs: 8 } });
    expect(workspace.data.metrics["metrics.json"]!.data).toEqual({ acc: 0.1, loss: 0.125 });
  });

  it("exp show --md: one row per run, sorted by a metric; exp diff: two runs, a run or HEAD vs the workspace", async () => {
    const { r, dvx, refs } = await threeRuns();
    const md = ok(await dvx("exp", "show", "--md", "--sort-by", "acc", "--sort-order", "desc"), "show --md");
    const lines = md.trim().split("\n");
    const header = lines[0]!.split("|").map((c) => c.trim());
    const col = (name: string): number => header.indexOf(name);
    expect(col("acc")).toBeGreaterThan(0);
    expect(col("train.lr")).toBeGreaterThan(0);
    const rows = lines.slice(2).map((l) => l.split("|").map((c) => c.trim()));
    const short = (ref: string): string => r.git("rev-parse", "--short=7", ref).trim();
    expect(rows.map((row) => row[col("Experiment")])).toEqual([
      "workspace",
      "main",
      `├── ${short(refs[1]!)} [lr-03-e8]`,
      `├── ${short(refs[0]!)} [lr-02]`,
      `└── ${short(refs[2]!)} [lr-005]`,
    ]);
    expect(rows.map((row) => [row[col("acc")], row[col("train.lr")], row[col("train.epochs")]])).toEqual([
      ["0.1", "0.05", "8"],
      ["0.2", "0.1", "4"],
      ["0.6", "0.3", "8"],
      ["0.4", "0.2", "4"],
      ["0.1", "0.05", "8"],
    ]);

    type Diff = Record<string, Record<string, { old: number; new: number; diff?: number }>>;
    const diff = JSON.parse(ok(await dvx("exp", "diff", "lr-02", "lr-03-e8", "--json"), "diff")) as {
      metrics: Diff;
      params: Diff;
    };
    expect(diff.params["params.yaml"]).toEqual({
      "train.lr": { old: 0.2, new: 0.3, diff: expect.closeTo(0.1, 10) },
      "train.epochs": { old: 4, new: 8, diff: 4 },
    });
    expect(diff.metrics["metrics.json"]!.acc).toEqual({ old: 0.4, new: 0.6, diff: expect.closeTo(0.2, 10) });
    expect(diff.metrics["metrics.json"]!.loss).toEqual({ old: 0.25, new: 0.125, diff: -0.125 });
    // one argument: that experiment against the workspace (which holds lr-005's results); none: HEAD against it
    const one = JSON.parse(ok(await dvx("exp", "diff", "lr-02", "--json"), "diff one")) as { params: Diff };
    expect(one.params["params.yaml"]).toEqual({
      "train.lr": { old: 0.2, new: 0.05, diff: expect.closeTo(-0.15, 10) },
      "train.epochs": { old: 4, new: 8, diff: 4 },
    });
    const none = JSON.parse(ok(await dvx("exp", "diff", "--json"), "diff none")) as { params: Diff; metrics: Diff };
    expect(none.params["params.yaml"]).toEqual({
      "train.lr": { old: 0.1, new: 0.05, diff: -0.05 },
      "train.epochs": { old: 4, new: 8, diff: 4 },
    });
    expect(none.metrics["metrics.json"]!.acc).toEqual({ old: 0.2, new: 0.1, diff: -0.1 });
  });

  it("an experiment made by exp save shows with the workspace's params as saved", async () => {
    const r = await makeRepo({ files: FILES });
    const dvx = cli(r.dir);
    ok(await dvx("repro", "-q"), "repro");
    r.commit("baseline");
    r.write({ "params.yaml": "train:\n  lr: 0.7  # learning rate\n  epochs: 4\n" });
    ok(await dvx("exp", "save", "-n", "saved"), "save");
    const [, baseline] = JSON.parse(ok(await dvx("exp", "show", "--json"), "show")) as State[];
    const saved = baseline!.experiments!.map((e) => e.revs[0]!);
    expect(saved.map((s) => s.name)).toEqual(["saved"]);
    expect(saved[0]!.data.params["params.yaml"]!.data).toEqual({ train: { lr: 0.7, epochs: 4 } });
    expect(saved[0]!.data.metrics["metrics.json"]!.data).toEqual({ acc: 0.2, loss: 0.25 }); // nothing re-ran
  });
});
