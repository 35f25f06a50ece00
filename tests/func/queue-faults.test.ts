// Faults while the queue runs (issue 12, docs/queue.md): kill -9 of a worker or of a stage's process, Ctrl-C of
// `queue start`, two starts at once, queue kill, queue stop. Each stage shell writes its pid and waits while the
// test holds it, so every step is driven by the test, not by timing.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expRefName } from "../../src/exp/refs.js";
import { processRuns, startBuilt, waitFor } from "../helpers/pipeline.js";
import { keyOf, md5Hex, objectKeys } from "../helpers/store-walk.js";
import { expectNoWorktrees, queueLrs, queueProject, waitStarted, type QueueProject } from "../helpers/queue.js";

const errorCode = (stderr: string): string => (JSON.parse(stderr.trim()) as { error: { code: string } }).error.code;

/** The worker pid the runner recorded for an entry. */
function workerPid(p: QueueProject, id: string): number {
  const state = JSON.parse(readFileSync(join(p.r.dir, ".dvc/tmp/dvx-queue/tasks", id, "state.json"), "utf8")) as {
    worker?: { pid: number };
  };
  return state.worker!.pid;
}

async function idOf(p: QueueProject, name: string): Promise<string> {
  return (await p.status()).find((e) => e.name === name)!.id;
}

describe("dvx queue: faults", () => {
  it("gc while the queue runs is refused (exit 8), deleting nothing, also after a kill -9 of the runner", async () => {
    const p = await queueProject();
    writeFileSync(join(p.r.dir, "junk.txt"), "no longer used\n");
    expect((await p.dvx("add", "junk.txt")).code).toBe(0);
    rmSync(join(p.r.dir, "junk.txt.dvc")); // its object is now garbage
    const objects = (): string[] => objectKeys(join(p.r.dir, ".dvc", "cache"));
    const before = objects();
    const junk = keyOf(md5Hex("no longer used\n"));
    expect(before).toContain(junk);
    p.hold("0.2");
    await queueLrs(p, "0.2");
    const run = startBuilt(p.r.dir, ["queue", "start"]);
    await waitStarted(p, "0.2");
    const gc = await p.dvx("gc", "-w", "-f", "--json");
    expect(gc.code, gc.stderr).toBe(8);
    expect(errorCode(gc.stderr)).toBe("QUEUE_ACTIVE");
    expect(gc.stderr).toContain("run by pid");
    expect((await p.dvx("gc", "-w", "--dry")).code).toBe(0); // a dry run deletes nothing: allowed
    // the runner dies; its worker runs on, writing into the cache
    const worker = workerPid(p, await idOf(p, "lr-0.2"));
    run.child.kill("SIGKILL");
    await run.exited;
    const again = await p.dvx("gc", "-w", "-f", "--json");
    expect(again.code, again.stderr).toBe(8);
    expect(again.stderr).toContain("'lr-0.2' still running");
    expect(objects()).toEqual(expect.arrayContaining(before));
    p.release("0.2");
    await waitFor(() => !processRuns(worker), 30_000, "the orphaned worker to finish");
    const after = await p.dvx("gc", "-w", "-f");
    expect(after.code, after.stderr).toBe(0);
    expect(objects()).not.toContain(junk);
  });

  it("kill -9 of a worker: its entry fails (log kept), its stage process is killed, the other one finishes", async () => {
    const p = await queueProject();
    p.hold("0.2", "0.3");
    await queueLrs(p, "0.2", "0.3");
    const run = startBuilt(p.r.dir, ["queue", "start", "-j", "2"]);
    await waitStarted(p, "0.2", "0.3");
    const stage = p.pidOf("0.2");
    process.kill(workerPid(p, await idOf(p, "lr-0.2")), "SIGKILL");
    // the stage, in its own process group, would outlive the worker: the runner kills what the worker left
    await waitFor(() => !processRuns(stage), 15_000, "the orphaned stage process to be killed");
    p.release("0.3");
    const res = await run.done;
    expect(res.code, run.out()).toBe(1);
    const st = await p.status();
    expect(st.map((e) => [e.name, e.status])).toEqual([
      ["lr-0.2", "failed"],
      ["lr-0.3", "success"],
    ]);
    expect((st[0]!.error as { code: string }).code).toBe("WORKER_DIED");
    expect((await p.dvx("queue", "logs", "lr-0.2")).stdout).toContain("training lr=0.2");
    expect(p.expRefs()).toEqual([expRefName(p.head, "lr-0.3")]);
    expectNoWorktrees(p);
  });

  it("kill -9 of the stage's process: the experiment fails like a failing stage", async () => {
    const p = await queueProject();
    p.hold("0.2");
    await queueLrs(p, "0.2");
    const run = startBuilt(p.r.dir, ["queue", "start"]);
    await waitStarted(p, "0.2");
    process.kill(p.pidOf("0.2"), "SIGKILL");
    const res = await run.done;
    expect(res.code, run.out()).toBe(1);
    const [e] = await p.status();
    expect([e!.status, (e!.error as { code: string }).code]).toEqual(["failed", "EXPERIMENT_FAILED"]);
    expect((await p.dvx("queue", "logs", "lr-0.2")).stdout).toContain("training lr=0.2");
    expectNoWorktrees(p);
  });

  it("Ctrl-C of queue start: workers stop, worktrees go, entries are queued again (and run on the next start)", async () => {
    const p = await queueProject();
    p.hold("0.2", "0.3");
    await queueLrs(p, "0.2", "0.3", "0.4");
    const run = startBuilt(p.r.dir, ["queue", "start", "-j", "2"]);
    await waitStarted(p, "0.2", "0.3");
    const stages = [p.pidOf("0.2"), p.pidOf("0.3")];
    run.child.kill("SIGINT");
    const res = await run.done;
    expect(res.code, run.out()).toBe(130);
    expect(stages.some(processRuns)).toBe(false);
    expectNoWorktrees(p);
    const st = await p.status();
    expect(st.map((e) => [e.name, e.status, e.attempt])).toEqual([
      ["lr-0.2", "queued", 1],
      ["lr-0.3", "queued", 1],
      ["lr-0.4", "queued", 0],
    ]);
    expect(p.expRefs()).toEqual([]);
    expect(p.r.git("status", "--porcelain")).toBe("");
    p.release("0.2", "0.3");
    const again = await p.dvx("queue", "start", "-j", "3");
    expect(again.code, again.stderr).toBe(0);
    expect((await p.status()).map((e) => e.status)).toEqual(["success", "success", "success"]);
  });

  it("the queue lock held past its timeout as experiments finish: the runner waits for it, records both", async () => {
    const p = await queueProject();
    p.hold("0.2", "0.3");
    await queueLrs(p, "0.2", "0.3");
    const run = startBuilt(p.r.dir, ["queue", "start", "-j", "2"], { DVX_LOCK_TIMEOUT: "1" });
    await waitStarted(p, "0.2", "0.3");
    // someone else (a live process) holds the queue lock while both experiments end
    const holder = spawn("sleep", ["30"], { stdio: "ignore" });
    const lock = join(p.r.dir, ".dvc/tmp/dvx-queue/dvx.lock");
    const since = new Date().toISOString();
    writeFileSync(lock, JSON.stringify({ pid: holder.pid, host: hostname(), cmd: "test", since }) + "\n");
    p.release("0.2", "0.3");
    await new Promise((res) => setTimeout(res, 3000));
    rmSync(lock);
    holder.kill("SIGKILL");
    expect((await run.done).code, run.out()).toBe(0);
    expect((await p.status()).map((e) => [e.name, e.status])).toEqual([
      ["lr-0.2", "success"],
      ["lr-0.3", "success"],
    ]);
    expectNoWorktrees(p);
  });

  it("a second queue start while one runs is refused (exit 8, QUEUE_RUNNING); the first runs what is queued", async () => {
    const p = await queueProject();
    p.hold("0.2");
    await queueLrs(p, "0.2");
    const run = startBuilt(p.r.dir, ["queue", "start"]);
    await waitStarted(p, "0.2");
    const second = await p.dvx("queue", "start", "--json");
    expect([second.code, errorCode(second.stderr)]).toEqual([8, "QUEUE_RUNNING"]);
    const runAll = await p.dvx("exp", "run", "--run-all");
    expect(runAll.code).toBe(8);
    const status = JSON.parse((await p.dvx("queue", "status", "--json")).stdout) as { runner: { pid: number } };
    expect(status.runner.pid).toBe(run.child.pid);
    // what is queued meanwhile is run by the running one
    await queueLrs(p, "0.3");
    p.release("0.2");
    expect((await run.done).code, run.out()).toBe(0);
    expect((await p.status()).map((e) => [e.name, e.status])).toEqual([
      ["lr-0.2", "success"],
      ["lr-0.3", "success"],
    ]);
  });

  it("queue kill ends a running experiment (failed, killed, log kept); remove refuses a running one", async () => {
    const p = await queueProject();
    p.hold("0.2", "0.3");
    await queueLrs(p, "0.2", "0.3");
    const run = startBuilt(p.r.dir, ["queue", "start", "-j", "2"]);
    await waitStarted(p, "0.2", "0.3");
    const busy = await p.dvx("queue", "remove", "lr-0.2", "--json");
    expect([busy.code, errorCode(busy.stderr)]).toEqual([1, "QUEUE_ENTRY_STATE"]);
    const stage = p.pidOf("0.2");
    const kill = await p.dvx("queue", "kill", "lr-0.2");
    expect(kill.code, kill.stderr).toBe(0);
    await waitFor(() => !processRuns(stage), 15_000, "the killed stage to end");
    p.release("0.3");
    expect((await run.done).code, run.out()).toBe(1);
    const st = await p.status();
    expect(st.map((e) => [e.name, e.status, e.killed ?? false])).toEqual([
      ["lr-0.2", "failed", true],
      ["lr-0.3", "success", false],
    ]);
    expect((await p.dvx("queue", "logs", "lr-0.2")).stdout).toContain("training lr=0.2");
    const notRunning = await p.dvx("queue", "kill", "lr-0.3", "--json");
    expect([notRunning.code, errorCode(notRunning.stderr)]).toEqual([1, "QUEUE_ENTRY_STATE"]);
    expectNoWorktrees(p);
  });

  it("queue stop: the runner finishes what runs and starts nothing new; the rest stays queued", async () => {
    const p = await queueProject();
    p.hold("0.2");
    await queueLrs(p, "0.2", "0.3");
    const run = startBuilt(p.r.dir, ["queue", "start", "--json"]);
    await waitStarted(p, "0.2");
    const stop = await p.dvx("queue", "stop", "--json");
    expect(stop.code, stop.stderr).toBe(0);
    expect((JSON.parse(stop.stdout) as { runner: { pid: number } }).runner.pid).toBe(run.child.pid);
    p.release("0.2");
    const res = await run.done;
    expect(res.code, run.out()).toBe(0);
    expect((JSON.parse(res.stdout) as { stopped: boolean }).stopped).toBe(true);
    expect((await p.status()).map((e) => [e.name, e.status])).toEqual([
      ["lr-0.2", "success"],
      ["lr-0.3", "queued"],
    ]);
    const none = await p.dvx("queue", "stop", "--json");
    expect((JSON.parse(none.stdout) as { runner: unknown }).runner).toBeNull();
  });
});
