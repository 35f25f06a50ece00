// A stage whose command fails (issue 9): its name and exit code are reported, dvx exits 1, its outputs are not
// committed, the lock keeps the stages that completed, and the next repro resumes from the failed stage. With -k,
// branches that do not depend on the failure go on; its dependents are reported as not run.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { md5Hex, objectKeys } from "../helpers/store-walk.js";
import { countLines, lockedStages } from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

interface ReproJson {
  stages: Array<{ stage: string; action: string }>;
  failed: Array<{ stage: string; code: string; message: string; exitCode: number }>;
  notRun: string[];
}

// a → bad → after; indep stands alone. `bad` fails (exit 3) until the file `fixed` exists, after writing its
// output, so a half-made output is left in the workspace. Every command appends its name to runs.log.
const PIPELINE =
  "stages:\n" +
  "  a:\n    cmd: echo a >> runs.log && echo a > a.txt\n    outs: [a.txt]\n" +
  "  bad:\n    cmd: echo bad >> runs.log && echo half-made > bad.txt && test -f fixed || exit 3\n" +
  "    deps: [a.txt]\n    outs: [bad.txt]\n" +
  "  after:\n    cmd: echo after >> runs.log && cat bad.txt > after.txt\n    deps: [bad.txt]\n    outs: [after.txt]\n" +
  "  indep:\n    cmd: echo indep >> runs.log && echo i > i.txt\n    outs: [i.txt]\n";

async function pipelineRepo(): Promise<TmpRepo> {
  return makeRepo({ files: { "dvc.yaml": PIPELINE } });
}

const ran = (r: TmpRepo): string[] =>
  existsSync(join(r.dir, "runs.log")) ? r.read("runs.log").split("\n").filter(Boolean) : [];
const cacheHas = (r: TmpRepo, content: string): boolean => {
  const md5 = md5Hex(content);
  return objectKeys(join(r.dir, ".dvc/cache")).some((k) => k.endsWith(`${md5.slice(0, 2)}/${md5.slice(2)}`));
};
const actions = (res: ReproJson): Record<string, string> =>
  Object.fromEntries(res.stages.map((s) => [s.stage, s.action]));

describe("a failing stage", () => {
  it("is named with its exit code, exit 1, outputs not committed, completed stages kept in dvc.lock", async () => {
    const r = await pipelineRepo();
    const res = await r.run("repro");
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/stage 'bad' failed: its command exited with code 3/);
    expect(ran(r)).toEqual(["a", "bad"]);
    // the summary names what failed and what was not started
    expect(res.stderr).toMatch(/bad\s*│\s*failed/);
    expect(res.stderr).toMatch(/after\s*│\s*not run/);
    expect(res.stderr).toMatch(/indep\s*│\s*not run/);
    // a is recorded and cached; bad's half-made output is neither recorded, cached nor git-ignored
    expect(lockedStages(r.dir)).toEqual(["a"]);
    expect(cacheHas(r, "a\n")).toBe(true);
    expect(r.read("bad.txt")).toBe("half-made\n");
    expect(cacheHas(r, "half-made\n")).toBe(false);
    expect(r.read(".gitignore")).toContain("/a.txt");
    expect(r.read(".gitignore")).not.toContain("bad.txt");
  });

  it("reports the failure in --json: failed and not-run stages", async () => {
    const r = await pipelineRepo();
    const res = await r.run("repro", "--json");
    expect(res.code).toBe(1);
    const out = res.json<ReproJson>();
    expect(out.failed).toHaveLength(1);
    expect(out.failed[0]).toMatchObject({ stage: "bad", code: "STAGE_FAILED", exitCode: 1 });
    expect(out.failed[0]!.message).toContain("code 3");
    expect(out.notRun).toEqual(["after", "indep"]);
    expect(actions(out)).toEqual({ a: "ran" });
  });

  it("the next repro resumes from the failed stage: completed ones are unchanged", async () => {
    const r = await pipelineRepo();
    expect((await r.run("repro")).code).toBe(1);
    r.write({ fixed: "" });
    const res = await r.run("repro", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(actions(res.json<ReproJson>())).toEqual({ a: "unchanged", bad: "ran", after: "ran", indep: "ran" });
    expect(ran(r)).toEqual(["a", "bad", "bad", "after", "indep"]);
    expect(lockedStages(r.dir)).toEqual(["a", "bad", "after", "indep"]);
    expect(cacheHas(r, "half-made\n")).toBe(true);
    // and then everything is up to date
    const again = await r.run("repro", "--json");
    expect(Object.values(actions(again.json<ReproJson>()))).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
  });

  it("with -k, independent branches go on; dependents of the failure do not run", async () => {
    const r = await pipelineRepo();
    const res = await r.run("repro", "-k", "--json");
    expect(res.code).toBe(1);
    const out = res.json<ReproJson>();
    expect(out.failed.map((f) => f.stage)).toEqual(["bad"]);
    expect(out.notRun).toEqual(["after"]);
    expect(actions(out)).toEqual({ a: "ran", indep: "ran" });
    expect(ran(r)).toEqual(["a", "bad", "indep"]);
    expect(lockedStages(r.dir)).toEqual(["a", "indep"]);
    // human summary: every stage with its result
    const human = await r.run("repro", "-k");
    expect(human.stderr).toMatch(/a\s*│\s*unchanged/);
    expect(human.stderr).toMatch(/indep\s*│\s*unchanged/);
    expect(human.stderr).toMatch(/bad\s*│\s*failed/);
    expect(human.stderr).toMatch(/after\s*│\s*not run/);
  });

  it("with -k and -j 2, the independent branch finishes and its entry is written", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  bad:\n    cmd: exit 7\n    outs: [never.txt]\n" +
          "  after:\n    cmd: cp never.txt x\n    deps: [never.txt]\n    outs: [x]\n" +
          "  slow:\n    cmd: sleep 0.5 && echo s > s.txt\n    outs: [s.txt]\n",
      },
    });
    const res = await r.run("repro", "-k", "-j", "2", "--json");
    expect(res.code).toBe(1);
    const out = res.json<ReproJson>();
    expect(out.failed[0]).toMatchObject({ stage: "bad" });
    expect(out.failed[0]!.message).toContain("code 7");
    expect(out.notRun).toEqual(["after"]);
    expect(actions(out)).toEqual({ slow: "ran" });
    expect(lockedStages(r.dir)).toEqual(["slow"]);
  });

  it("without -k, -j 2: a failure starts nothing new, but the stage already running finishes and is recorded", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  bad:\n    cmd: exit 5\n    outs: [never.txt]\n" +
          "  slow:\n    cmd: sleep 0.8 && echo s > s.txt\n    outs: [s.txt]\n" +
          "  later:\n    cmd: echo l > l.txt\n    outs: [l.txt]\n",
      },
    });
    const res = await r.run("repro", "-j", "2", "--json");
    expect(res.code).toBe(1);
    const out = res.json<ReproJson>();
    expect(out.failed.map((f) => f.stage)).toEqual(["bad"]);
    expect(actions(out)).toEqual({ slow: "ran" });
    expect(out.notRun).toEqual(["later"]);
    expect(lockedStages(r.dir)).toEqual(["slow"]);
    expect(existsSync(join(r.dir, "l.txt"))).toBe(false);
  });

  it("a command that succeeds without creating its output fails the stage (exit 1), nothing recorded", async () => {
    const r = await makeRepo({
      files: { "dvc.yaml": "stages:\n  lazy:\n    cmd: echo lazy >> runs.log\n    outs: [promised.txt]\n" },
    });
    const res = await r.run("repro", "--json");
    expect(res.code).toBe(1);
    expect(res.json<ReproJson>().failed[0]).toMatchObject({ stage: "lazy", code: "STAGE_OUTPUT_MISSING" });
    expect(existsSync(join(r.dir, "dvc.lock"))).toBe(false);
    expect(countLines(join(r.dir, "runs.log"))).toBe(1);
  });

  it("a list cmd stops at the first failing command", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  multi:\n    cmd:\n    - echo one >> runs.log\n    - exit 4\n    - echo three >> runs.log\n" +
          "    outs: [m.txt]\n",
      },
    });
    const res = await r.run("repro");
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/stage 'multi' failed: its command exited with code 4/);
    expect(readFileSync(join(r.dir, "runs.log"), "utf8")).toBe("one\n");
    expect(readdirSync(r.dir)).not.toContain("dvc.lock");
  });
});
