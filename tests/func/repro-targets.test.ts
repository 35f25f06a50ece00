// Which stages `dvx repro` visits for its targets and flags: -s (only the target), --downstream, -f, addresses
// (sub/dvc.yaml:name, foreach groups), the default target (./dvc.yaml), frozen stages and --dry's plan.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

interface ReproJson {
  stages: Array<{ stage: string; action: string; reasons: string[] }>;
}
const acted = (stdout: string): string[] =>
  (JSON.parse(stdout) as ReproJson).stages.filter((s) => s.action !== "unchanged").map((s) => s.stage);

// a → b → c, each copying the one before and logging its name in runs.log
const CHAIN =
  "stages:\n" +
  "  a:\n    cmd: cp in.txt a.txt && echo a >> runs.log\n    deps: [in.txt]\n    outs: [a.txt]\n" +
  "  b:\n    cmd: cp a.txt b.txt && echo b >> runs.log\n    deps: [a.txt]\n    outs: [b.txt]\n" +
  "  c:\n    cmd: cp b.txt c.txt && echo c >> runs.log\n    deps: [b.txt]\n    outs: [c.txt]\n";

async function chain(): Promise<TmpRepo> {
  const r = await makeRepo({ files: { "in.txt": "1\n", "dvc.yaml": CHAIN } });
  expect((await r.run("repro")).code).toBe(0);
  r.write({ "runs.log": "" });
  return r;
}
const ran = (r: TmpRepo): string[] => r.read("runs.log").split("\n").filter(Boolean);

describe("repro targets", () => {
  it("-s / --single-item runs only the target, not the changed stages it depends on", async () => {
    const r = await chain();
    r.write({ "in.txt": "2\n", "a.txt": "changed by hand\n" });
    const res = await r.run("repro", "-s", "b", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(acted(res.stdout)).toEqual(["b"]);
    expect(ran(r)).toEqual(["b"]);
    expect(r.read("b.txt")).toBe("changed by hand\n");
    const long = await r.run("repro", "--single-item", "c", "--json");
    expect(acted(long.stdout)).toEqual(["c"]);
  });

  it("a target runs with what it needs; --downstream runs it and what needs it", async () => {
    const r = await chain();
    r.write({ "in.txt": "2\n" });
    const b = await r.run("repro", "b", "--json");
    expect(acted(b.stdout)).toEqual(["a", "b"]);
    r.write({ "in.txt": "3\n" });
    const down = await r.run("repro", "--downstream", "b", "--json");
    // a is not part of b's downstream: only b (unchanged: its dep a.txt is as recorded) and c
    expect((JSON.parse(down.stdout) as ReproJson).stages.map((s) => s.stage)).toEqual(["b", "c"]);
    expect(ran(r)).toEqual(["a", "b", "c"]);
  });

  it("-f runs the target and what it needs even when nothing changed", async () => {
    const r = await chain();
    const res = await r.run("repro", "-f", "b", "--json");
    expect(acted(res.stdout)).toEqual(["a", "b"]);
    expect(ran(r)).toEqual(["a", "b"]);
  });

  it("--dry plans without running or writing anything, with a reason per stage", async () => {
    const r = await chain();
    r.write({ "in.txt": "2\n" });
    const lock = r.read("dvc.lock");
    const res = await r.run("repro", "--dry", "--json");
    const plan = (JSON.parse(res.stdout) as ReproJson).stages;
    expect(plan.map((s) => [s.stage, s.action])).toEqual([
      ["a", "would run"],
      ["b", "would run"],
      ["c", "would run"],
    ]);
    expect(plan[0]!.reasons).toEqual(["dep modified: in.txt"]);
    expect(ran(r)).toEqual([]);
    expect(r.read("dvc.lock")).toBe(lock);
    const human = await r.run("repro", "--dry");
    expect(human.stdout).toMatch(/^would run\s+a: dep modified: in\.txt$/m);
  });

  it("addresses stages of other dvc.yaml files, foreach groups and members, and defaults to ./dvc.yaml", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  top:\n    cmd: echo top >> runs.log\n",
        "sub/dvc.yaml":
          "stages:\n  one:\n    cmd: echo one >> ../runs.log\n" +
          "  many:\n    foreach: [x, y]\n    do:\n      cmd: echo many-${item} >> ../runs.log\n",
      },
    });
    const byAddress = await r.run("repro", "sub/dvc.yaml:one", "--json");
    expect(acted(byAddress.stdout)).toEqual(["sub/dvc.yaml:one"]);
    const group = await r.run("repro", "sub/dvc.yaml:many", "--json");
    expect(acted(group.stdout)).toEqual(["sub/dvc.yaml:many@x", "sub/dvc.yaml:many@y"]);
    const member = await r.run("repro", "sub/dvc.yaml:many@y", "--json");
    expect(acted(member.stdout)).toEqual(["sub/dvc.yaml:many@y"]);
    const here = await r.run("repro", "--json");
    expect(acted(here.stdout)).toEqual(["top"]);
    const fromSub = await runCli(join(r.dir, "sub"), ["repro", "--json"], {});
    expect(acted(fromSub.stdout)).toEqual(["sub/dvc.yaml:one", "sub/dvc.yaml:many@x", "sub/dvc.yaml:many@y"]);
    const all = await r.run("repro", "-P", "--json");
    expect(acted(all.stdout)).toHaveLength(4);
  });

  it("a dvc.yaml without stages has nothing to do; no dvc.yaml in the current directory is an error", async () => {
    const r = await makeRepo({ files: { "dvc.yaml": "stages: {}\n", "sub/.keep": "" } });
    const empty = await r.run("repro", "--json");
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ stages: [], failed: [], notRun: [] });
    r.write({ "dvc.yaml": "" });
    const blank = await r.run("repro");
    expect(blank.code, blank.stderr).toBe(0);
    expect(blank.stderr).toContain("Data and pipelines are up to date.");
    const none = await runCli(join(r.dir, "sub"), ["repro", "--json"], {});
    expect(none.code).toBe(1);
    const err = (JSON.parse(none.stderr.trim()) as { error: { code: string; hint: string } }).error;
    expect(err.code).toBe("BAD_TARGET");
    expect(err.hint).toContain("-P");
  });

  it("-i without a terminal to ask on is refused before anything runs (DVC aborts too)", async () => {
    const r = await chain();
    r.write({ "in.txt": "2\n" });
    const res = await r.run("repro", "-i", "--json");
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stderr.trim())).toMatchObject({ error: { code: "USAGE" } });
    expect(ran(r)).toEqual([]);
    // --dry asks nothing
    expect((await r.run("repro", "-i", "--dry")).code).toBe(0);
  });

  it("does not walk through a frozen stage, and does not run it", async () => {
    const r = await chain();
    r.write({ "dvc.yaml": CHAIN.replace("    outs: [b.txt]\n", "    outs: [b.txt]\n    frozen: true\n") });
    r.write({ "in.txt": "2\n" });
    const res = await r.run("repro", "c", "--json");
    expect(res.code, res.stderr).toBe(0);
    expect(acted(res.stdout)).toEqual([]);
    expect(ran(r)).toEqual([]);
    expect(r.read("a.txt")).toBe("1\n");
  });
});
