// `dvx exp show --record duration,status,…` (in-process CLI): each experiment's run record (its git note) adds
// columns to the table and `data.record` to the JSON; DVC's JSON is unchanged without the flag; a header that a
// metric already uses becomes `record:<field>`; an experiment without a record shows the fill; bad fields exit 2.
import { describe, expect, it } from "vitest";
import { jsonError } from "../helpers/cli-assert.js";
import { makeExperiment } from "../helpers/exp-repo.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { makeRepo } from "../helpers/tmp-repo.js";

const ENV = { GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e" };

interface Row {
  rev: string;
  name: string | null;
  data: { record?: Record<string, unknown> | null } | null;
  experiments: Array<{ revs: Row[] }> | null;
}

async function project() {
  const r = await makeRepo({
    files: {
      "params.yaml": "train:\n  lr: 0.1\n",
      "train.sh": "echo '{\"status\": 1}' > m.json\n",
      "dvc.yaml":
        "stages:\n  train:\n    cmd: sh train.sh\n    params: [train.lr]\n" +
        "    metrics:\n    - m.json:\n        cache: false\n",
    },
  });
  const dvx = (...argv: string[]): Promise<CliRun> => runCli(r.dir, argv, ENV);
  expect((await dvx("repro", "-q")).code).toBe(0);
  r.commit("baseline");
  const run = await dvx("exp", "run", "-q", "-S", "train.lr=0.2", "-n", "recorded", "--json");
  expect(run.code, run.stderr).toBe(0);
  const commit = run.json<{ commit: string }>().commit;
  r.git("checkout", "-q", "--", ".");
  const bare = makeExperiment(r.dir, "made-by-dvc", { "params.yaml": "train:\n  lr: 0.3\n" }); // no record
  return { r, dvx, commit, bare };
}

describe("exp show --record", () => {
  it("adds the record's fields per experiment, in the table and as data.record in the JSON", async () => {
    const { r, dvx, commit, bare } = await project();
    const note = JSON.parse(r.git("notes", "--ref", "dvx-runs", "show", commit)) as {
      durationMs: number;
      user: string;
      status: string;
    };
    const json = await dvx("exp", "show", "--json", "--record", "duration,status,user,git.dirty");
    expect(json.code, json.stderr).toBe(0);
    const rows = json.json<Row[]>();
    const exps = rows[1]!.experiments!.map((e) => e.revs[0]!);
    const byRev = new Map(exps.map((e) => [e.rev, e.data!.record]));
    expect(byRev.get(commit)).toEqual({
      duration: note.durationMs / 1000,
      status: note.status,
      user: note.user,
      "git.dirty": false,
    });
    expect(byRev.get(bare)).toBeNull();
    expect(rows[0]!.data!.record).toBeNull(); // the workspace

    // without --record: DVC's shape, no extra key
    const plain = (await dvx("exp", "show", "--json")).json<Row[]>();
    expect(plain[1]!.experiments![0]!.revs[0]!.data).not.toHaveProperty("record");

    // the markdown table: `status` is a metric too, so the record's column is record:status
    const md = (await dvx("exp", "show", "--md", "--record", "status,user")).stdout.split("\n");
    const header = md[0]!.split("|").map((c) => c.trim());
    expect(header).toContain("status");
    expect(header).toContain("record:status");
    const cells = (name: string): string[] =>
      md
        .find((l) => l.includes(`[${name}]`))!
        .split("|")
        .map((c) => c.trim());
    const at = (name: string, col: string): string => cells(name)[header.indexOf(col)]!;
    expect(at("recorded", "record:status")).toBe("finished");
    expect(at("recorded", "user")).toBe(note.user);
    expect(at("made-by-dvc", "record:status")).toBe("-");
  });

  it("a field that is not a dotted name is a usage error (exit 2) before anything is read", async () => {
    const { dvx } = await project();
    const res = await dvx("exp", "show", "--json", "--record", "duration,a b");
    expect(res.code).toBe(2);
    expect(jsonError(res)).toMatchObject({ code: "USAGE", details: { field: "a b" } });
  });
});
