// The run cache (docs/formats.md §9.6, issue 9): a run seen before is restored instead of run ("is cached -
// skipping run"), --no-run-cache runs it, entries sit where DVC puts them and hold what DVC writes, and the
// deleted outputs of an unchanged stage are checked out from the cache rather than re-made.
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countLines } from "../helpers/pipeline.js";
import { runCli } from "../helpers/run-cli.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

interface ReproJson {
  stages: Array<{ stage: string; action: string }>;
}
const actions = (stdout: string): Record<string, string> =>
  Object.fromEntries((JSON.parse(stdout) as ReproJson).stages.map((s) => [s.stage, s.action]));

/** Every file under .dvc/cache/runs, relative to the cache. */
function runFiles(r: TmpRepo): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}/${e.name}`);
      else out.push(`${rel}/${e.name}`);
    }
  };
  try {
    walk(join(r.dir, ".dvc/cache/runs"), "runs");
  } catch {
    return [];
  }
  return out.sort();
}

// `train` counts its runs in runs.log (not an output) and writes a model and an uncached metric from its param
const PIPELINE =
  "stages:\n  train:\n    cmd: >-\n      echo run >> runs.log && echo lr=${lr} > model.txt && echo '{\"lr\": ${lr}}' > m.json\n" +
  "    deps: [data.csv]\n    params: [lr]\n    outs: [model.txt]\n    metrics:\n    - m.json:\n        cache: false\n";

async function trainRepo(): Promise<TmpRepo> {
  return makeRepo({ files: { "data.csv": "a\n", "params.yaml": "lr: 0.1\n", "dvc.yaml": PIPELINE } });
}
const runsOf = (r: TmpRepo): number => countLines(join(r.dir, "runs.log"));

describe("the run cache", () => {
  it("restores a run seen before instead of running it: param changed, then changed back", async () => {
    const r = await trainRepo();
    expect((await r.run("repro")).code).toBe(0);
    expect(runsOf(r)).toBe(1);
    r.write({ "params.yaml": "lr: 0.2\n" });
    expect((await r.run("repro")).code).toBe(0);
    expect(runsOf(r)).toBe(2);
    expect(r.read("model.txt")).toBe("lr=0.2\n");
    r.write({ "params.yaml": "lr: 0.1\n" });
    const back = await r.run("repro");
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain("Stage 'train' is cached - skipping run, checking out outputs");
    expect(runsOf(r)).toBe(2);
    expect(r.read("model.txt")).toBe("lr=0.1\n");
    // the uncached metric comes back too (DVC stores it in the cache for the run cache)
    expect(r.read("m.json")).toBe('{"lr": 0.1}\n');
    // and the lock records the restored run; status is clean
    expect(r.read("dvc.lock")).toContain("      lr: 0.1\n");
    const st = await r.run("status", "--json");
    expect(st.json()).toEqual({});
  });

  it("reports the restored stage in --json and --dry", async () => {
    const r = await trainRepo();
    await r.run("repro");
    r.write({ "params.yaml": "lr: 0.2\n" });
    await r.run("repro");
    r.write({ "params.yaml": "lr: 0.1\n" });
    const dry = await r.run("repro", "--dry", "--json");
    expect(actions(dry.stdout)).toEqual({ train: "would restore" });
    const res = await r.run("repro", "--json");
    expect(actions(res.stdout)).toEqual({ train: "restored" });
    expect(runsOf(r)).toBe(2);
  });

  it("--no-run-cache runs the command", async () => {
    const r = await trainRepo();
    await r.run("repro");
    r.write({ "params.yaml": "lr: 0.2\n" });
    await r.run("repro");
    r.write({ "params.yaml": "lr: 0.1\n" });
    const res = await r.run("repro", "--no-run-cache", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(actions(res.stdout)).toEqual({ train: "ran" });
    expect(runsOf(r)).toBe(3);
  });

  it("runs the command when an output object of the cached run is gone from the cache", async () => {
    const r = await trainRepo();
    await r.run("repro");
    r.write({ "params.yaml": "lr: 0.2\n" });
    await r.run("repro");
    // remove model.txt's object for lr=0.1
    const { createHash } = await import("node:crypto");
    const oid = createHash("md5").update("lr=0.1\n").digest("hex");
    rmSync(join(r.dir, ".dvc/cache/files/md5", oid.slice(0, 2), oid.slice(2)), { force: true });
    r.write({ "params.yaml": "lr: 0.1\n" });
    const res = await r.run("repro", "--json");
    expect(actions(res.stdout)).toEqual({ train: "ran" });
    expect(runsOf(r)).toBe(3);
  });

  it("checks deleted outputs of an unchanged stage out of the cache instead of re-running it", async () => {
    const r = await trainRepo();
    await r.run("repro");
    rmSync(join(r.dir, "model.txt"));
    rmSync(join(r.dir, "m.json"));
    const res = await r.run("repro", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(actions(res.stdout)).toEqual({ train: "checked out" });
    expect(runsOf(r)).toBe(1);
    expect(r.read("model.txt")).toBe("lr=0.1\n");
    expect(r.read("m.json")).toBe('{"lr": 0.1}\n');
    // also with --no-run-cache: this is dvc.lock's own record, not the run cache (as DVC does)
    rmSync(join(r.dir, "model.txt"));
    const noRc = await r.run("repro", "--no-run-cache", "--json");
    expect(actions(noRc.stdout)).toEqual({ train: "checked out" });
    expect(runsOf(r)).toBe(1);
    // -f runs it whatever is cached
    const forced = await r.run("repro", "-f", "--json");
    expect(actions(forced.stdout)).toEqual({ train: "ran" });
    expect(runsOf(r)).toBe(2);
  });

  it("stores the entry at DVC's path with DVC's content (docs/formats.md §9.6 example)", async () => {
    const r = await makeRepo({
      files: {
        "data.csv": "a\n",
        "dvc.yaml": "stages:\n  prep:\n    cmd: cp data.csv prep.txt\n    deps: [data.csv]\n    outs: [prep.txt]\n",
      },
    });
    const res = await runCli(r.dir, ["repro"], {});
    expect(res.code, res.stderr).toBe(0);
    const path =
      "runs/f1/f118a6be71fcfde5ff41759ea46752e7ea32df59504cac164f786e4069e63b7d/" +
      "35afeba1d1c0dcbe2b5256d4436217f99c03d7b2ddd6ab3ba38ce05d5e65837e";
    expect(runFiles(r)).toEqual([path]);
    const md5 = "60b725f10c9c85c70d97880dfe8191b3";
    expect(r.read(`.dvc/cache/${path}`)).toBe(
      `cmd: cp data.csv prep.txt\ndeps:\n- path: data.csv\n  hash: md5\n  md5: ${md5}\n  size: 2\n` +
        `outs:\n- path: prep.txt\n  hash: md5\n  md5: ${md5}\n  size: 2\n`,
    );
    // not read-only, unlike cache objects (0666 & ~umask)
    expect(statSync(join(r.dir, ".dvc/cache", path)).mode & 0o777).toBe(0o644);
  });

  it("keeps no entry for stages DVC does not cache: always changed, persistent outputs, no deps", async () => {
    const r = await makeRepo({
      files: {
        "data.csv": "a\n",
        "dvc.yaml":
          "stages:\n" +
          "  always:\n    cmd: cp data.csv a.txt\n    deps: [data.csv]\n    outs: [a.txt]\n    always_changed: true\n" +
          "  persist:\n    cmd: cp data.csv p.txt\n    deps: [data.csv]\n    outs:\n    - p.txt:\n        persist: true\n" +
          "  nodeps:\n    cmd: echo x > n.txt\n    outs: [n.txt]\n" +
          "  uncached:\n    cmd: cp data.csv u.txt\n    deps: [data.csv]\n    outs:\n    - u.txt:\n        cache: false\n",
      },
    });
    const res = await r.run("repro");
    expect(res.code, res.stderr).toBe(0);
    expect(runFiles(r)).toEqual([]);
  });

  it("--no-commit records dvc.lock but keeps neither objects nor a run-cache entry", async () => {
    const r = await trainRepo();
    const res = await r.run("repro", "--no-commit");
    expect(res.code, res.stderr).toBe(0);
    expect(runFiles(r)).toEqual([]);
    expect(r.read("dvc.lock")).toContain("model.txt");
    const st = await r.run("status", "--json");
    expect(st.json()).toEqual({ train: [{ "changed outs": { "model.txt": "not in cache" } }] });
  });
});
