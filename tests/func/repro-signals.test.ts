// Interrupting `dvx repro` (issue 9): Ctrl-C (SIGINT) or SIGTERM to the dvx process stops every stage's process
// group (the stage starts a `sleep` that writes its pid: that pid must be gone), releases the repository lock,
// leaves a dvc.lock that parses and holds only the stages that completed, and exits 130. After `kill -9` of dvx,
// the next repro takes the stale lock over and completes; the cache holds no corrupt object.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { badObjects, strayFiles } from "../helpers/store-walk.js";
import {
  lockedStages,
  processesIn,
  processRuns,
  readLock,
  runBuilt,
  startBuilt,
  waitFor,
} from "../helpers/pipeline.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

/** A stage command that starts a long `sleep` in the background, records its pid in `pidFile`, and waits. */
const sleeper = (pidFile: string, out: string): string => `sleep 60 & echo $! > ${pidFile}; wait; echo done > ${out}`;

const PIPELINE =
  "stages:\n" +
  "  quick:\n    cmd: echo q > q.txt\n    outs: [q.txt]\n" +
  `  slow1:\n    cmd: ${sleeper("pid1", "s1.txt")}\n    deps: [q.txt]\n    outs: [s1.txt]\n` +
  `  slow2:\n    cmd: ${sleeper("pid2", "s2.txt")}\n    deps: [q.txt]\n    outs: [s2.txt]\n` +
  "  last:\n    cmd: cat s1.txt s2.txt > last.txt\n    deps: [s1.txt, s2.txt]\n    outs: [last.txt]\n";

const pidIn = (r: TmpRepo, f: string): number => Number(readFileSync(join(r.dir, f), "utf8").trim());

/** Kills (SIGKILL) every pid the stages wrote, whatever the test's outcome: no sleeper outlives its test. */
function reapSleepers(r: TmpRepo, files: string[]): void {
  onTestFinished(() => {
    for (const f of files) {
      if (!existsSync(join(r.dir, f))) continue;
      try {
        process.kill(pidIn(r, f), "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

async function interrupted(sig: NodeJS.Signals, jobs: number) {
  const r = await makeRepo({ files: { "dvc.yaml": PIPELINE } });
  const pids = jobs > 1 ? ["pid1", "pid2"] : ["pid1"];
  reapSleepers(r, ["pid1", "pid2"]);
  const run = startBuilt(r.dir, ["repro", "-j", String(jobs)]);
  await waitFor(() => pids.every((p) => existsSync(join(r.dir, p)) && r.read(p).trim() !== ""), 20_000, "the sleeps");
  const sleeps = pids.map((p) => pidIn(r, p));
  expect(sleeps.every(processRuns)).toBe(true);
  run.child.kill(sig);
  const res = await run.done;
  expect(res.code, run.out()).toBe(130);
  // every stage's process group is gone (give the kernel a moment to deliver the group's SIGTERM)
  await waitFor(() => !sleeps.some(processRuns), 5_000, "the stage processes to end");
  // the repository lock is released: no lock file, and another write command runs at once
  expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock"))).toBe(false);
  // dvc.lock parses and holds only the stage that completed
  expect(lockedStages(r.dir)).toEqual(["quick"]);
  expect(existsSync(join(r.dir, "s1.txt"))).toBe(false);
  r.write({ "extra.txt": "x\n" });
  const started = Date.now();
  const add = await runBuilt(r.dir, ["add", "extra.txt"], { DVX_LOCK_TIMEOUT: "1" });
  expect(add.code, add.stderr).toBe(0);
  expect(Date.now() - started).toBeLessThan(10_000);
  return { r, res };
}

describe("interrupting repro", () => {
  it("SIGINT (Ctrl-C) during a stage: its processes end, lock released, dvc.lock intact, exit 130", async () => {
    const { res } = await interrupted("SIGINT", 1);
    // the summary says what happened to each stage; the interrupt is reported once
    expect(res.stderr).toMatch(/quick\s*│\s*ran/);
    expect(res.stderr).toMatch(/slow1\s*│\s*interrupted/);
    expect(res.stderr).toMatch(/slow2\s*│\s*not run/);
    expect(res.stderr.match(/^error: .*interrupted/gm)).toHaveLength(1);
  });

  it("SIGTERM during a stage: the same", async () => {
    await interrupted("SIGTERM", 1);
  });

  it("SIGINT with -j 2 and two long stages: both process groups end", async () => {
    const { res } = await interrupted("SIGINT", 2);
    expect(res.stderr).toMatch(/slow1\s*│\s*interrupted/);
    expect(res.stderr).toMatch(/slow2\s*│\s*interrupted/);
    expect(res.stderr.match(/^error: .*interrupted/gm)).toHaveLength(1);
  });

  it("SIGTERM with -j 2 and two long stages: both process groups end", async () => {
    await interrupted("SIGTERM", 2);
  });

  it("after an interrupt, the next repro runs what was left and completes", async () => {
    const { r } = await interrupted("SIGINT", 2);
    r.write({
      "dvc.yaml": PIPELINE.replace(sleeper("pid1", "s1.txt"), "echo done > s1.txt").replace(
        sleeper("pid2", "s2.txt"),
        "echo done > s2.txt",
      ),
    });
    const res = await runBuilt(r.dir, ["repro"]);
    expect(res.code, res.stderr).toBe(0);
    expect(lockedStages(r.dir)).toEqual(["quick", "slow1", "slow2", "last"]);
    expect(r.read("last.txt")).toBe("done\ndone\n");
  });
});

describe("a stage that ignores SIGTERM", () => {
  const IGNORING = "stages:\n  s:\n    cmd: trap '' TERM INT; sleep 60 & echo $! > pid1; wait\n";

  it("one Ctrl-C: its process group gets SIGKILL after the grace period, exit 130, lock released", async () => {
    const r = await makeRepo({ files: { "dvc.yaml": IGNORING } });
    reapSleepers(r, ["pid1"]);
    const run = startBuilt(r.dir, ["repro"]);
    await waitFor(() => existsSync(join(r.dir, "pid1")) && r.read("pid1").trim() !== "", 20_000, "the sleep");
    run.child.kill("SIGINT");
    const res = await run.done;
    expect(res.code, run.out()).toBe(130);
    await waitFor(() => !processRuns(pidIn(r, "pid1")), 3_000, "the stage to end");
    expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock"))).toBe(false);
  });

  // A second Ctrl-C makes dvx exit at once (cli/io.ts: process.exit(130)), before spawn.ts's SIGKILL escalation
  // and the lock's release: exit hooks kill the live stage groups and remove the lock on the way out.
  it("two Ctrl-C: the stage is killed at once and the lock released", async () => {
    const r = await makeRepo({ files: { "dvc.yaml": IGNORING } });
    reapSleepers(r, ["pid1"]);
    const run = startBuilt(r.dir, ["repro"]);
    await waitFor(() => existsSync(join(r.dir, "pid1")) && r.read("pid1").trim() !== "", 20_000, "the sleep");
    run.child.kill("SIGINT");
    await new Promise((res) => setTimeout(res, 300));
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    await waitFor(() => !processRuns(pidIn(r, "pid1")), 2_000, "the stage to end");
    expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock"))).toBe(false);
  });
});

describe("interrupts outside a stage command", () => {
  it("SIGINT between two stages (while the first one's output is saved) stops the run with exit 130", async () => {
    // the first stage's command ends at once; saving its 150 MiB output takes a while: the interrupt lands then
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  first:\n    cmd: head -c 150m /dev/zero > big.bin && touch cmd-done\n    outs: [big.bin]\n" +
          "  second:\n    cmd: echo 2 > second.txt\n    deps: [big.bin]\n    outs: [second.txt]\n",
      },
    });
    const run = startBuilt(r.dir, ["repro", "--json"]);
    await waitFor(() => existsSync(join(r.dir, "cmd-done")), 20_000, "the first command");
    run.child.kill("SIGINT");
    const res = await run.done;
    expect(existsSync(join(r.dir, "second.txt")), "the second stage ran").toBe(false);
    expect(res.code, run.out()).toBe(130);
    const out = JSON.parse(res.stdout) as { interrupted: boolean; notRun: string[] };
    expect(out.interrupted).toBe(true);
    expect(out.notRun).toEqual(["second"]);
    expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock"))).toBe(false);
    // the first stage finished saving and is recorded, or was not: either way the lock parses
    expect(["first"]).toEqual(expect.arrayContaining(lockedStages(r.dir)));
  });

  it("SIGINT while waiting for another command's repository lock: exit 130 at once, nothing run", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml": "stages:\n  s:\n    cmd: sleep 60 & echo $! > pid1; wait; echo > s.txt\n    outs: [s.txt]\n",
      },
    });
    reapSleepers(r, ["pid1"]);
    const holder = startBuilt(r.dir, ["repro"]);
    await waitFor(() => existsSync(join(r.dir, "pid1")) && r.read("pid1").trim() !== "", 20_000, "the first run");
    const waiter = startBuilt(r.dir, ["repro"], { DVX_LOCK_TIMEOUT: "60" });
    await new Promise((res) => setTimeout(res, 1500));
    const started = Date.now();
    waiter.child.kill("SIGINT");
    const res = await waiter.done;
    expect(res.code, waiter.out()).toBe(130);
    expect(Date.now() - started).toBeLessThan(5000);
    // the first run is untouched and still holds the lock
    expect(processRuns(pidIn(r, "pid1"))).toBe(true);
    expect(existsSync(join(r.dir, ".dvc/tmp/dvx.lock"))).toBe(true);
    holder.child.kill("SIGTERM");
    expect((await holder.done).code).toBe(130);
  });
});

describe("kill -9 of dvx during repro", () => {
  // Stages that write and commit sizeable outputs, so a kill lands while objects are copied into the cache, the
  // lock is written, or a command runs.
  const big = (name: string, mib: number): string =>
    `  ${name}:\n    cmd: head -c ${mib}m /dev/urandom > ${name}.bin && mkdir -p ${name}.d && ` +
    `for i in 1 2 3 4 5 6 7 8; do head -c 300k /dev/urandom > ${name}.d/f$i; done\n` +
    `    outs: [${name}.bin, ${name}.d]\n`;
  // a last stage that sleeps keeps the run going past every kill point
  const yaml =
    "stages:\n" +
    big("one", 24) +
    big("two", 24) +
    big("three", 24) +
    "  tail:\n    cmd: sleep 2 && echo t > tail.txt\n    deps: [one.bin, two.bin, three.bin]\n    outs: [tail.txt]\n";
  const cacheFiles = (dir: string): boolean => existsSync(join(dir, ".dvc/cache/files/md5"));
  const points: Array<[string, (dir: string) => boolean]> = [
    ["during the first commands", () => true],
    ["while outputs are copied into the cache", cacheFiles],
    ["after the first dvc.lock write", (dir) => existsSync(join(dir, "dvc.lock"))],
  ];

  for (const [when, ready] of points) {
    it(`killed ${when}: the next repro completes, the cache holds no corrupt object`, async () => {
      const r = await makeRepo({ files: { "dvc.yaml": yaml } });
      const run = startBuilt(r.dir, ["repro", "-j", "2"]);
      await new Promise((res) => setTimeout(res, 300));
      await waitFor(() => ready(r.dir), 30_000, when);
      run.child.kill("SIGKILL");
      const killed = await run.done;
      expect(killed.signal).toBe("SIGKILL");
      // the stage commands it started are orphans now and finish on their own: let them, before the next run
      await waitFor(() => processesIn(r.dir).length === 0, 20_000, "the orphaned stage commands");
      const lock = readLock(r.dir); // parses (or is absent)
      expect(lock === null || lock.stages.size < 4).toBe(true);
      const res = await runBuilt(r.dir, ["repro", "-j", "2"], { DVX_LOCK_TIMEOUT: "20" });
      expect(res.code, res.stderr).toBe(0);
      expect(lockedStages(r.dir).sort()).toEqual(["one", "tail", "three", "two"]);
      const cache = join(r.dir, ".dvc/cache");
      expect(await badObjects(cache)).toEqual([]);
      // nothing else but the cache's own temp files (".<hex>.tmp", removed by gc) and run-cache entries
      expect(strayFiles(cache).filter((f) => !f.startsWith("runs/") && !/(^|\/)\.[0-9a-f]+\.tmp$/.test(f))).toEqual([]);
      // and it is all consistent: status has nothing to report
      const st = await runBuilt(r.dir, ["status", "--json"]);
      expect(JSON.parse(st.stdout)).toEqual({});
    });
  }
});
