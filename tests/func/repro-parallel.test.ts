// `dvx repro -j N` (issue 9): independent stages run at the same time, each output line is prefixed with its
// stage's name and never cut or mixed with another stage's, one writer keeps dvc.lock whole, and the summary
// lists every stage. Timing is asserted generously (< 3 s for 4 × 1 s): a correctness check, not a benchmark.
import { describe, expect, it } from "vitest";
import { lockedStages, readLock, runBuilt } from "../helpers/pipeline.js";
import { makeRepo } from "../helpers/tmp-repo.js";

const NAMES = ["alpha", "beta", "gamma", "delta"];

describe("repro -j", () => {
  it("writes dvc.lock entries in plan order (as -j 1 and DVC do), not in the order stages finish", async () => {
    // alpha is the slowest, delta the fastest: with -j 4 they finish in reverse order
    const yaml =
      "stages:\n" +
      NAMES.map(
        (n, i) => `  ${n}:\n    cmd: sleep 0.${6 - 2 * i} && echo ${n} > ${n}.txt\n    outs: [${n}.txt]\n`,
      ).join("");
    const parallel = await makeRepo({ files: { "dvc.yaml": yaml } });
    const sequential = await makeRepo({ files: { "dvc.yaml": yaml } });
    expect((await runBuilt(parallel.dir, ["repro", "-j", "4"])).code).toBe(0);
    expect((await runBuilt(sequential.dir, ["repro"])).code).toBe(0);
    expect(lockedStages(parallel.dir)).toEqual(NAMES);
    expect(parallel.read("dvc.lock")).toBe(sequential.read("dvc.lock"));
  });

  it("runs four independent 1 s stages at once (-j 4 well under 4 s), records all four", async () => {
    const yaml =
      "stages:\n" +
      NAMES.map((n) => `  ${n}:\n    cmd: sleep 1 && echo ${n} > ${n}.txt\n    outs: [${n}.txt]\n`).join("");
    const r = await makeRepo({ files: { "dvc.yaml": yaml } });
    const started = Date.now();
    const res = await runBuilt(r.dir, ["repro", "-j", "4"]);
    const wall = Date.now() - started;
    expect(res.code, res.stderr).toBe(0);
    expect(wall).toBeLessThan(3000);
    expect(lockedStages(r.dir).sort()).toEqual([...NAMES].sort());
    for (const n of NAMES) expect(res.stderr).toMatch(new RegExp(`${n}\\s*│\\s*ran`));
  });

  it("prefixes every output line with its stage and never mixes lines; dvc.lock parses after every run", async () => {
    // each stage prints 3,000 numbered lines as fast as it can, on stdout and stderr, and a last line without "\n"
    const pad = "x".repeat(100);
    const cmd = (n: string): string =>
      `i=0; while [ $i -lt 3000 ]; do echo "${n}-$i-${pad}"; echo "${n}-err-$i" >&2; i=$((i+1)); done; ` +
      `echo ${n} > ${n}.txt; printf 'tail-${n}'`;
    const yaml = "stages:\n" + NAMES.map((n) => `  ${n}:\n    cmd: ${cmd(n)}\n    outs: [${n}.txt]\n`).join("");
    const r = await makeRepo({ files: { "dvc.yaml": yaml } });
    for (let round = 0; round < 3; round++) {
      const res = await runBuilt(r.dir, ["repro", "-j", "4", "-f"]);
      expect(res.code, res.stderr.slice(-2000)).toBe(0);
      const seen = new Map<string, number>(NAMES.map((n) => [n, 0]));
      for (const line of res.stdout.split("\n").filter(Boolean)) {
        const m = /^\[(\w+)\] (?:(\w+)-(\d+)-x{100}|tail-(\w+))$/.exec(line);
        expect(m, `a cut or mixed line: ${line.slice(0, 200)}`).not.toBeNull();
        const [, stage, who, num, tail] = m!;
        if (tail !== undefined) {
          expect(tail).toBe(stage);
          continue;
        }
        expect(who).toBe(stage);
        // in order, none lost
        expect(Number(num)).toBe(seen.get(stage!));
        seen.set(stage!, seen.get(stage!)! + 1);
      }
      expect([...seen.values()]).toEqual([3000, 3000, 3000, 3000]);
      for (const n of NAMES) {
        expect(res.stdout).toContain(`[${n}] tail-${n}\n`);
        const errLines = res.stderr.split("\n").filter((l) => l.startsWith(`[${n}] ${n}-err-`));
        expect(errLines).toHaveLength(3000);
        expect(res.stderr).toContain(`[${n}] Running stage '${n}':`);
      }
      expect(lockedStages(r.dir).sort()).toEqual([...NAMES].sort());
    }
  });

  it("writes dvc.lock entries of a sub-directory dvc.yaml and the root one in parallel, both whole", async () => {
    const stages = (prefix: string): string =>
      "stages:\n" +
      NAMES.map((n) => `  ${n}:\n    cmd: echo ${prefix}${n} > ${n}.txt\n    outs: [${n}.txt]\n`).join("");
    const r = await makeRepo({ files: { "dvc.yaml": stages("root-"), "sub/dvc.yaml": stages("sub-") } });
    const res = await runBuilt(r.dir, ["repro", "-P", "-j", "4"]);
    expect(res.code, res.stderr).toBe(0);
    expect(lockedStages(r.dir).sort()).toEqual([...NAMES].sort());
    expect(lockedStages(r.dir, "sub/dvc.lock").sort()).toEqual([...NAMES].sort());
    expect(readLock(r.dir, "sub/dvc.lock")?.stages.get("beta")?.cmd).toBe("echo sub-beta > beta.txt");
    for (const n of NAMES) {
      expect(res.stderr).toMatch(new RegExp(`\\b${n}\\s*│\\s*ran`));
      expect(res.stderr).toMatch(new RegExp(`sub/dvc\\.yaml:${n}\\s*│\\s*ran`));
    }
  });

  it("--json keeps stdout for the JSON document: stage output goes to stderr, with -j 1 and -j 2", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  a:\n    cmd: echo a-out; echo a-err >&2\n  b:\n    cmd: echo b-out\n",
      },
    });
    for (const jobs of ["1", "2"]) {
      const res = await runBuilt(r.dir, ["repro", "--json", "-j", jobs]);
      expect(res.code, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout) as { stages: Array<{ stage: string; action: string }> };
      expect(out.stages.map((s) => s.action)).toEqual(["ran", "ran"]);
      expect(res.stderr).toContain("a-out");
      expect(res.stderr).toContain("a-err");
      expect(res.stderr).toContain("b-out");
    }
  });

  // Under -j the stage's output is piped: a command that leaves a background process holding the pipes (a server
  // it starts, `(sleep 4 &)`) must not keep dvx waiting for that process (with -j 1, and in DVC, the output is
  // inherited and the run goes on when the command exits).
  it("does not wait under -j for a background process the command left running", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  a:\n    cmd: (sleep 0.5; echo bg-line; sleep 5) & echo started\n" +
          "  b:\n    cmd: sleep 1.5 && echo b\n",
      },
    });
    const started = Date.now();
    const res = await runBuilt(r.dir, ["repro", "-j", "2"]);
    expect(res.code, res.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.stdout).toContain("[a] started\n");
    // what the background process prints while dvx still runs is shown too (its pipe is not cut off)
    expect(res.stdout).toContain("[a] bg-line\n");
    expect(res.stdout).toContain("[b] b\n");
  });

  it("keeps dependency order: a stage starts only after the stages it needs", async () => {
    // a diamond: top → (left, right) → bottom; each appends start/end marks to order.log
    const st = (n: string, deps: string[]): string =>
      `  ${n}:\n    cmd: echo start-${n} >> order.log && sleep 0.3 && echo end-${n} >> order.log && ` +
      `echo ${n} > ${n}.txt\n` +
      (deps.length > 0 ? `    deps: [${deps.map((d) => `${d}.txt`).join(", ")}]\n` : "") +
      `    outs: [${n}.txt]\n`;
    const yaml =
      "stages:\n" + st("top", []) + st("left", ["top"]) + st("right", ["top"]) + st("bottom", ["left", "right"]);
    const r = await makeRepo({ files: { "dvc.yaml": yaml } });
    const res = await runBuilt(r.dir, ["repro", "-j", "4"]);
    expect(res.code, res.stderr).toBe(0);
    const log = r.read("order.log").split("\n").filter(Boolean);
    const at = (m: string): number => log.indexOf(m);
    expect(at("start-left")).toBeGreaterThan(at("end-top"));
    expect(at("start-right")).toBeGreaterThan(at("end-top"));
    expect(at("start-bottom")).toBeGreaterThan(at("end-left"));
    expect(at("start-bottom")).toBeGreaterThan(at("end-right"));
    // left and right overlapped
    expect(at("start-right")).toBeLessThan(at("end-left"));
  });
});
