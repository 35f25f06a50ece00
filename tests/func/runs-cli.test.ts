// `dvx runs list` and `dvx runs show` (in-process CLI) over real records: repro runs (local files) and experiments
// (git notes), selected with --filter; bad filters are usage errors with the column; -n, --all, --md, --json.
import { describe, expect, it } from "vitest";
import { jsonError } from "../helpers/cli-assert.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const ENV = { GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e" };

const TRAIN = `import { readFileSync, writeFileSync } from "node:fs";
const lr = Number(/lr: *([0-9.e+-]+)/.exec(readFileSync("params.yaml", "utf8"))[1]);
if (lr > 1) process.exit(2);
writeFileSync("metrics.json", JSON.stringify({ acc: 1 - lr }) + "\\n");
`;

interface Listed {
  id: string;
  name: string;
  kind: string;
  status: string;
  source: { type: string; commit?: string; path?: string };
  params: { "params.yaml": { train: { lr: number } } };
}

async function history(): Promise<{ r: TmpRepo; dvx: (...argv: string[]) => Promise<CliRun>; exp: string }> {
  const r = await makeRepo({
    files: {
      "params.yaml": "train:\n  lr: 0.5\n",
      "train.mjs": TRAIN,
      "dvc.yaml":
        "stages:\n  train:\n    cmd: node train.mjs\n    deps: [train.mjs]\n    params: [train.lr]\n" +
        "    metrics:\n    - metrics.json:\n        cache: false\n",
    },
  });
  const dvx = (...argv: string[]): Promise<CliRun> => runCli(r.dir, argv, ENV);
  expect((await dvx("repro", "-q")).code).toBe(0); // lr 0.5, acc 0.5
  r.commit("baseline");
  const exp = await dvx("exp", "run", "-q", "-S", "train.lr=0.005", "-n", "lr-small", "--json"); // acc 0.995
  expect(exp.code, exp.stderr).toBe(0);
  r.git("checkout", "-q", "--", ".");
  r.write({ "params.yaml": "train:\n  lr: 5\n" });
  expect((await dvx("repro", "-q")).code).toBe(1); // fails
  r.write({ "params.yaml": "train:\n  lr: 0.2\n" });
  expect((await dvx("repro", "-q")).code).toBe(0); // acc 0.8
  return { r, dvx, exp: (exp.json() as { commit: string }).commit };
}

const listed = async (dvx: (...a: string[]) => Promise<CliRun>, ...argv: string[]): Promise<Listed[]> => {
  const res = await dvx("runs", "list", "--json", ...argv);
  expect(res.code, res.stderr).toBe(0);
  return res.json<Listed[]>();
};

describe("dvx runs list / show", () => {
  it("lists repro records and experiment notes newest first; --filter selects; -n and --all", async () => {
    const { dvx, exp } = await history();
    const all = await listed(dvx);
    expect(all.map((x) => [x.kind, x.status, x.params["params.yaml"].train.lr])).toEqual([
      ["repro", "finished", 0.2],
      ["repro", "failed", 5],
      ["experiment", "finished", 0.005],
      ["repro", "finished", 0.5],
    ]);
    expect(all[2]!.source).toEqual({ type: "note", ref: "refs/notes/dvx-runs", commit: exp });
    expect(all[0]!.source.path).toBe(`.dvc/tmp/runs/${all[0]!.id}.json`);

    const pick = async (expr: string): Promise<number[]> =>
      (await listed(dvx, "--filter", expr)).map((x) => x.params["params.yaml"].train.lr);
    expect(await pick("metrics.acc > 0.6 && params.train.lr < 0.01")).toEqual([0.005]);
    expect(await pick('status == "failed"')).toEqual([5]);
    expect(await pick('name ~ "^lr-" || metrics.acc == 0.5')).toEqual([0.005, 0.5]);
    expect(await pick("!(kind == 'repro') && experiment.commit != null")).toEqual([0.005]);
    expect(await pick("metrics.acc > 2")).toEqual([]);

    expect((await listed(dvx, "-n", "2")).map((x) => x.id)).toEqual(all.slice(0, 2).map((x) => x.id));
    expect(await listed(dvx, "--all")).toHaveLength(4);
    const human = await dvx("runs", "list", "-n", "1");
    expect(human.stdout).toContain(all[0]!.id);
    expect(human.stdout).not.toContain(all[1]!.id);
    expect(human.stderr).toMatch(/3 older/);
    const md = (await dvx("runs", "list", "--md", "--filter", "kind == 'experiment'")).stdout.trim().split("\n");
    expect(md).toHaveLength(3); // header, rule, one row
    expect(md[0]).toMatch(/^\| Run +\| Name +\|/);
    expect(md[2]).toContain("lr-small");
  });

  it("a bad --filter is a usage error (exit 2) that names the column; nothing else is printed", async () => {
    const { dvx } = await history();
    const res = await dvx("runs", "list", "--json", "--filter", "metrics.acc >> 1");
    expect(res.code).toBe(2);
    const err = jsonError(res);
    expect(err.code).toBe("BAD_FILTER");
    expect(err.details).toMatchObject({ column: 14, expression: "metrics.acc >> 1" });
    const human = await dvx("runs", "list", "--filter", "(status == 'x'");
    expect(human.code).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(/column 15/);
    expect((await dvx("runs", "list", "--json", "--md")).code).toBe(2);
  });

  it("show: by id, unique id start, experiment name or commit; unknown and ambiguous ids fail (exit 1)", async () => {
    const { dvx, exp } = await history();
    const all = await listed(dvx);
    const failed = all[1]!;
    const byId = await dvx("runs", "show", failed.id, "--json");
    expect(byId.code).toBe(0);
    expect(byId.json()).toEqual(failed);
    const prefix = failed.id.slice(0, -2);
    if (all.filter((x) => x.id.startsWith(prefix)).length === 1)
      expect((await dvx("runs", "show", prefix, "--json")).json<Listed>().id).toBe(failed.id);
    expect((await dvx("runs", "show", "lr-small", "--json")).json<Listed>().source.commit).toBe(exp);
    expect((await dvx("runs", "show", exp.slice(0, 8), "--json")).json<Listed>().name).toBe("lr-small");
    const text = await dvx("runs", "show", "lr-small");
    expect(text.stdout).toContain(`git notes --ref refs/notes/dvx-runs show ${exp}`);
    expect(text.stdout).toMatch(/train +│ ran +│/);

    const missing = await dvx("runs", "show", "nope", "--json");
    expect(missing.code).toBe(1);
    expect(jsonError(missing).code).toBe("RUN_NOT_FOUND");
    const ambiguous = await dvx("runs", "show", all[0]!.id.slice(0, 4), "--json");
    expect(ambiguous.code).toBe(1);
    expect(jsonError(ambiguous).code).toBe("RUN_AMBIGUOUS");
  });
});
