// The queue runner itself going away (issue 12, docs/queue.md): a second Ctrl-C exits at once, a kill -9 leaves its
// worker running. Either way no worktree, stage process or entry marked running is left behind for long.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processRuns, startBuilt, waitFor } from "../helpers/pipeline.js";
import { expectNoWorktrees, queueLrs, queueProject, waitStarted } from "../helpers/queue.js";

describe("dvx queue: the runner goes away", () => {
  it("a second Ctrl-C exits at once: SIGTERM-deaf stages are killed, worktrees removed, entries queued", async () => {
    const p = await queueProject();
    p.hold("stubborn", "0.2");
    await queueLrs(p, "stubborn", "0.2");
    const run = startBuilt(p.r.dir, ["queue", "start", "-j", "2"]);
    await waitStarted(p, "stubborn", "0.2");
    const stages = [p.pidOf("stubborn"), p.pidOf("0.2")];
    run.child.kill("SIGINT");
    await waitFor(() => !processRuns(stages[1]!), 10_000, "the obedient stage to stop");
    expect(processRuns(stages[0]!), run.out()).toBe(true); // ignores SIGTERM: the runner would wait up to 10 s
    const t0 = Date.now();
    run.child.kill("SIGINT");
    const res = await run.done;
    expect(res.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await waitFor(() => !stages.some(processRuns), 5_000, "the stages to be killed");
    expectNoWorktrees(p);
    expect((await p.status()).map((e) => e.status)).toEqual(["queued", "queued"]);
  });

  it("kill -9 of queue start: the next start kills the orphaned worker, removes its worktree, runs the entry", async () => {
    const p = await queueProject();
    p.hold("0.2");
    await queueLrs(p, "0.2");
    const run = startBuilt(p.r.dir, ["queue", "start"]);
    await waitStarted(p, "0.2");
    const [entry] = await p.status();
    const state = JSON.parse(
      readFileSync(join(p.r.dir, ".dvc/tmp/dvx-queue/tasks", entry!.id, "state.json"), "utf8"),
    ) as { worker: { pid: number } };
    const stage = p.pidOf("0.2");
    run.child.kill("SIGKILL");
    await run.exited;
    // the worker outlives its runner; status says so
    expect(processRuns(state.worker.pid)).toBe(true);
    expect((await p.status())[0]).toMatchObject({ status: "running", orphaned: true });
    const again = startBuilt(p.r.dir, ["queue", "start"]);
    await waitFor(() => !processRuns(state.worker.pid) && !processRuns(stage), 15_000, "the orphans to be killed");
    await waitFor(() => p.started("0.2") && p.pidOf("0.2") !== stage, 30_000, "the entry to run again");
    p.release("0.2");
    expect((await again.done).code, again.out()).toBe(0);
    expect((await p.status()).map((e) => [e.status, e.attempt])).toEqual([["success", 2]]);
    expectNoWorktrees(p);
  });
});
