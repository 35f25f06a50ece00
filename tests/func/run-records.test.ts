// Run records (issue 12), with the built CLI as a real process: a finished, a failed and a Ctrl-C'd (killed) repro
// each leave `.dvc/tmp/runs/<id>.json` with every field the issue lists; an experiment's record is a git note on
// its commit (refs/notes/dvx-runs) that the system git shows; a failed experiment's record stays local.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism, hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/core/runs/record.js";
import { dvxVersion } from "../../src/version.js";
import { readLock, runBuilt, startBuilt, waitFor } from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const ENV = { GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e" };

const PIPELINE =
  "stages:\n" +
  // prep waits a little: the record's git state is read alongside the run, before the first output appears
  "  prep:\n    cmd: sleep 0.5 && echo prepared > prep.txt\n    outs: [prep.txt]\n" +
  "  train:\n    cmd: sh train.sh\n    deps: [prep.txt, train.sh]\n    params: [train.lr]\n    outs: [model.bin]\n" +
  "    metrics:\n    - metrics.json:\n        cache: false\n";
const TRAIN = 'echo "model" > model.bin\necho \'{"acc": 0.91, "loss": 0.2}\' > metrics.json\n';

const sha256 = (s: string): string => `sha256:${createHash("sha256").update(s).digest("hex")}`;

function records(r: TmpRepo): RunRecord[] {
  const dir = join(r.dir, ".dvc/tmp/runs");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")) as RunRecord);
}

async function project(train = TRAIN): Promise<TmpRepo> {
  const r = await makeRepo({
    files: {
      "dvc.yaml": PIPELINE,
      "params.yaml": "train:\n  lr: 0.01\n",
      "train.sh": train,
      "requirements.txt": "numpy==2.0.0\n",
      "poetry.lock": "# lock\n",
      "package-lock.json": "{}\n",
    },
  });
  r.commit("baseline");
  return r;
}

describe("run records of repro", () => {
  it("a finished run: status, times, git state, command, user, params, metrics, stages, outputs, environment", async () => {
    const r = await project();
    r.write({ "notes.txt": "uncommitted\n" });
    const head = r.git("rev-parse", "HEAD").trim();
    const res = await runBuilt(r.dir, ["repro", "-q", "train"], ENV);
    expect(res.code, res.stderr).toBe(0);
    const [rec] = records(r);
    expect(records(r)).toHaveLength(1);
    expect(rec!.id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(rec).toMatchObject({
      version: 1,
      name: "repro",
      kind: "repro",
      status: "finished",
      command: "dvx repro -q train",
      host: hostname(),
      params: { "params.yaml": { train: { lr: 0.01 } } },
      metrics: { "metrics.json": { acc: 0.91, loss: 0.2 } },
    });
    expect(typeof rec!.user).toBe("string");
    expect(Date.parse(rec!.ended) - Date.parse(rec!.started)).toBe(rec!.durationMs);
    expect(rec!.durationMs).toBeGreaterThanOrEqual(0);
    expect(rec!.git).toEqual({ commit: head, branch: "main", dirty: true, changed: ["notes.txt"] });
    expect(rec!.stages.map((s) => [s.stage, s.action, s.exitCode])).toEqual([
      ["prep", "ran", 0],
      ["train", "ran", 0],
    ]);
    const lock = readLock(r.dir)!;
    const modelMd5 = lock.stages.get("train")!.outs.find((o) => o.path === "model.bin")!.md5;
    expect(rec!.outputs["model.bin"]).toBe(`md5:${modelMd5}`);
    expect(rec!.outputs["prep.txt"]).toMatch(/^md5:[0-9a-f]{32}$/);
    expect(rec!.environment).toMatchObject({
      dvx: dvxVersion(),
      node: process.versions.node,
      cpus: availableParallelism(),
      lockfiles: {
        "requirements.txt": sha256("numpy==2.0.0\n"),
        "poetry.lock": sha256("# lock\n"),
        "package-lock.json": sha256("{}\n"),
      },
    });
    expect(rec!.environment.git).toMatch(/^\d+\.\d+/);
    expect(rec!.environment.os).toMatch(/^linux /);

    // a second run restores from the cache what is missing: the record says so
    r.git("rm", "-q", "--cached", "--ignore-unmatch", "model.bin");
    const again = await runBuilt(r.dir, ["repro", "-q", "-f", "prep"], ENV);
    expect(again.code, again.stderr).toBe(0);
    const { rmSync } = await import("node:fs");
    rmSync(join(r.dir, "model.bin"));
    expect((await runBuilt(r.dir, ["repro", "-q"], ENV)).code).toBe(0);
    const last = records(r).sort((a, b) => (a.started < b.started ? 1 : -1))[0]!;
    expect(last.stages.find((s) => s.stage === "train")?.action).toBe("checked out");
    expect(last.stages.find((s) => s.stage === "prep")?.action).toBe("unchanged");
  });

  it("a failed run: status failed, the stage's exit code and time, what was not run", async () => {
    const r = await project("sleep 0.2; exit 3\n");
    r.write({
      "dvc.yaml": `${PIPELINE}  after:\n    cmd: cp model.bin after.bin\n    deps: [model.bin]\n    outs: [after.bin]\n`,
    });
    const res = await runBuilt(r.dir, ["repro"], ENV);
    expect(res.code).toBe(1);
    const [rec] = records(r);
    expect(rec!.status).toBe("failed");
    expect(rec!.stages.map((s) => [s.stage, s.action, s.exitCode ?? "-"])).toEqual([
      ["prep", "ran", 0],
      ["train", "failed", 3],
      ["after", "not run", "-"],
    ]);
    expect(rec!.stages[1]!.durationMs).toBeGreaterThanOrEqual(150);
  });

  it("a run stopped with Ctrl-C: status killed, the interrupted stage recorded", async () => {
    const r = await project("echo started > started.txt; sleep 30\n");
    const run = startBuilt(r.dir, ["repro"], ENV);
    await waitFor(() => existsSync(join(r.dir, "started.txt")), 20_000, "the stage");
    run.child.kill("SIGINT");
    const res = await run.done;
    expect(res.code, run.out()).toBe(130);
    const [rec] = records(r);
    expect(rec!.status).toBe("killed");
    expect(rec!.stages.map((s) => [s.stage, s.action])).toEqual([
      ["prep", "ran"],
      ["train", "interrupted"],
    ]);
  });

  it("a repro refused before any stage runs (invalid dvc.yaml) and --dry record nothing", async () => {
    const r = await project();
    expect((await runBuilt(r.dir, ["repro", "--dry"], ENV)).code).toBe(0);
    r.write({ "dvc.yaml": "stages:\n  a:\n    cmd: [\n" });
    expect((await runBuilt(r.dir, ["repro"], ENV)).code).toBe(6);
    expect(records(r)).toEqual([]);
  });
});

describe("run records of experiments", () => {
  it("exp run: the record is a git note on the experiment commit, shown by the system git", async () => {
    const r = await project();
    const res = await runBuilt(r.dir, ["exp", "run", "-S", "train.lr=0.5", "-n", "bigger", "--json"], ENV);
    expect(res.code, res.stderr).toBe(0);
    const exp = JSON.parse(res.stdout) as { commit: string; ref: string; baseline: string; expHash: string };
    const note = JSON.parse(r.git("notes", "--ref", "dvx-runs", "show", exp.commit)) as RunRecord;
    expect(note).toMatchObject({
      kind: "experiment",
      name: "bigger",
      status: "finished",
      command: "dvx exp run -S train.lr=0.5 -n bigger --json",
      params: { "params.yaml": { train: { lr: 0.5 } } },
      metrics: { "metrics.json": { acc: 0.91 } },
      experiment: { name: "bigger", commit: exp.commit, ref: exp.ref, baseline: exp.baseline, expHash: exp.expHash },
      git: { commit: exp.baseline, dirty: false },
    });
    expect(note.stages.map((s) => [s.stage, s.action, s.exitCode])).toEqual([
      ["prep", "ran", 0],
      ["train", "ran", 0],
    ]);
    expect(r.git("notes", "--ref", "dvx-runs", "list").trim().split("\n")).toHaveLength(1);
    expect(records(r)).toEqual([]); // nothing local: the note is the record
    // DVC's view is untouched: the experiment ref and the default notes ref
    expect(r.git("for-each-ref", "--format=%(refname)", "refs/notes").trim()).toBe("refs/notes/dvx-runs");

    r.write({ "params.yaml": "train:\n  lr: 0.7\n" });
    const saved = await runBuilt(r.dir, ["exp", "save", "-n", "kept", "--json"], ENV);
    expect(saved.code, saved.stderr).toBe(0);
    const commit = (JSON.parse(saved.stdout) as { commit: string }).commit;
    const savedNote = JSON.parse(r.git("notes", "--ref", "dvx-runs", "show", commit)) as RunRecord;
    expect(savedNote).toMatchObject({ name: "kept", status: "finished", stages: [], experiment: { commit } });
    expect(savedNote.params).toEqual({ "params.yaml": { train: { lr: 0.7 } } });
    expect(savedNote.git.changed).toContain("params.yaml");
  });

  it("a failed exp run keeps its record locally (no commit to annotate)", async () => {
    const r = await project("exit 4\n");
    const res = await runBuilt(r.dir, ["exp", "run", "-n", "doomed"], ENV);
    expect(res.code).toBe(1);
    const [rec] = records(r);
    expect(rec).toMatchObject({
      kind: "experiment",
      name: "doomed",
      status: "failed",
      experiment: { name: "doomed" },
      error: { code: "EXPERIMENT_FAILED" },
    });
    expect(rec!.experiment?.commit).toBeUndefined();
    expect(rec!.stages.find((s) => s.stage === "train")).toMatchObject({ action: "failed", exitCode: 4 });
    expect(r.git("for-each-ref", "refs/notes").trim()).toBe("");
    // a refused experiment (bad -S) ran nothing and records nothing
    expect((await runBuilt(r.dir, ["exp", "run", "-S", "nope.yaml:x=1"], ENV)).code).toBe(2);
    expect(records(r)).toHaveLength(1);
  });
});
