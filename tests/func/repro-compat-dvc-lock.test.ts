// A dvc.lock written by real DVC 3.64 (tests/fixtures/pipeline, the workspace rebuilt as conformance.sh does):
// dvx reads every entry as DVC meant it (commands, dep hashes incl. isexec, params of every kind and float form),
// reproduces only what is missing without changing a byte of the lock (and saves DVC's run-cache entries), then
// calls the pipeline up to date; a
// changed param and dep are reported exactly as DVC reported them (status-after-change.json).
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runBuilt } from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const FIX = resolve(__dirname, "../fixtures/pipeline");
const DVC_LOCK = readFileSync(join(FIX, "dvc.lock"), "utf8");
const fixtureJson = (name: string): unknown => JSON.parse(readFileSync(join(FIX, name), "utf8"));

/** The fixture pipeline's inputs, exactly as conformance.sh lays them out, with DVC's dvc.lock. */
async function dvcWorkspace(): Promise<TmpRepo> {
  const r = await makeRepo();
  for (const f of ["dvc.yaml", "params.yaml", "train.json", "cfg.toml", "params_py.py", "dvc.lock"]) {
    copyFileSync(join(FIX, f), join(r.dir, f));
  }
  mkdirSync(join(r.dir, "src"));
  mkdirSync(join(r.dir, "data"));
  writeFileSync(join(r.dir, "src/noop.sh"), '#!/bin/sh\ncat "$@" > /dev/null\n');
  chmodSync(join(r.dir, "src/noop.sh"), 0o755);
  writeFileSync(join(r.dir, "data/in.csv"), "a,b\n1,2\n");
  return r;
}

type Status = Record<string, unknown[]>;

/** Files under .dvc/cache/runs, as "runs/<kk>/<key>/<value>". */
function runFiles(dir: string): string[] {
  const base = join(dir, ".dvc/cache/runs");
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .flatMap((kk) =>
      readdirSync(join(base, kk)).flatMap((key) =>
        readdirSync(join(base, kk, key)).map((v) => `runs/${kk}/${key}/${v}`),
      ),
    )
    .sort();
}
const UNCACHED = new Set(["whole.json", "scores.json", "plot.csv"]);

describe("a dvc.lock written by DVC", () => {
  it("matches every dependency, param and command: only the (absent) outputs differ", async () => {
    const r = await dvcWorkspace();
    const res = await runBuilt(r.dir, ["status", "--json"]);
    expect(res.code, res.stderr).toBe(0);
    const status = JSON.parse(res.stdout) as Status;
    const stages = Object.keys(fixtureJson("status-after-change.json") as Status);
    expect(stages.every((s) => s in status)).toBe(true);
    for (const [stage, entries] of Object.entries(status)) {
      // nothing but "changed outs": deps, params (1e-05, 3.0, yes, null, TOML, Python) and cmds all match; only
      // deps that are other stages' (absent) outputs are deleted
      const deps = entries.filter((e) => typeof e === "object" && e !== null && "changed deps" in e) as Array<{
        "changed deps": Record<string, string>;
      }>;
      expect(
        deps.flatMap((d) => Object.entries(d["changed deps"])),
        stage,
      ).toEqual(
        stage === "metrics_stage"
          ? [
              ["data/copy.csv", "deleted"],
              ["results", "deleted"],
            ]
          : [],
      );
      expect(entries.length - deps.length, stage).toBe(1);
      const outs = (entries.at(-1) as { "changed outs"?: Record<string, string> })["changed outs"];
      expect(outs, `${stage}: ${JSON.stringify(entries)}`).toBeDefined();
      // cached outputs are "not in cache" first (§9.2); the uncached ones are just deleted
      for (const [path, state] of Object.entries(outs!)) {
        expect(state, path).toBe(UNCACHED.has(path) ? "deleted" : "not in cache");
      }
    }
  });

  it("repro rebuilds the outputs without changing a byte of DVC's lock, then all is up to date", async () => {
    const r = await dvcWorkspace();
    const res = await runBuilt(r.dir, ["repro"]);
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("dvc.lock")).toBe(DVC_LOCK);
    // the run-cache entries DVC made for the same runs (params_kinds, metrics_stage): same paths, same bytes
    const runs = readFileSync(join(FIX, "run-cache-files.txt"), "utf8").trim().split("\n");
    expect(runFiles(r.dir)).toEqual([...runs].sort());
    const sample = readFileSync(join(FIX, "run-cache-sample.path"), "utf8").trim();
    expect(r.read(`.dvc/cache/${sample}`)).toBe(readFileSync(join(FIX, "run-cache-sample.yaml"), "utf8"));
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual(fixtureJson("status-clean.json"));
    const again = await runBuilt(r.dir, ["repro", "--json"]);
    const actions = (JSON.parse(again.stdout) as { stages: Array<{ action: string }> }).stages.map((s) => s.action);
    expect(new Set(actions)).toEqual(new Set(["unchanged"]));
  });

  it("without a lock, repro writes DVC's dvc.lock byte for byte (also with -j 4)", async () => {
    for (const jobs of ["1", "4"]) {
      const r = await dvcWorkspace();
      rmSync(join(r.dir, "dvc.lock"));
      const res = await runBuilt(r.dir, ["repro", "-j", jobs]);
      expect(res.code, res.stderr).toBe(0);
      expect(r.read("dvc.lock"), `-j ${jobs}`).toBe(DVC_LOCK);
    }
  });

  it("reports a changed param and a changed dep exactly as DVC did", async () => {
    const r = await dvcWorkspace();
    expect((await runBuilt(r.dir, ["repro"])).code).toBe(0);
    // conformance.sh's change: nested.other 7 → 8, a line appended to data/in.csv
    r.write({ "params.yaml": r.read("params.yaml").replace("other: 7", "other: 8") });
    r.write({ "data/in.csv": "a,b\n1,2\n3,4\n" });
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual(fixtureJson("status-after-change.json"));
    const human = await runBuilt(r.dir, ["status"]);
    expect(human.stdout).toBe(readFileSync(join(FIX, "status-after-change.txt"), "utf8"));
    // the dry run plans exactly those two stages and what depends on them
    const dry = await runBuilt(r.dir, ["repro", "--dry", "--json"]);
    const plan = (JSON.parse(dry.stdout) as { stages: Array<{ stage: string; action: string }> }).stages;
    const acting = plan.filter((s) => s.action !== "unchanged").map((s) => s.stage);
    expect(acting.sort()).toEqual(["in_wdir", "metrics_stage", "params_kinds"]);
  });
});
