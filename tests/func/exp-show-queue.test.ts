// exp show lists the queue's entries as DVC does (collect_active / collect_queued / collect_failed): under their
// baseline, after the finished experiments, with State "Queued" / "Running" / "Failed" and the executor; a waiting
// or running entry's params are its -S overrides and it shows no metrics; a failed one carries "Experiment run
// failed". --hide-queued and --hide-failed leave them out.
import { describe, expect, it } from "vitest";
import { startBuilt } from "../helpers/pipeline.js";
import { queueLrs, queueProject, waitStarted } from "../helpers/queue.js";

interface Range {
  revs: Array<{ rev: string; name: string | null; data: { params: unknown; metrics: unknown } | null; error: unknown }>;
  executor: { state: string; name: string | null; local: Record<string, unknown> | null } | null;
  name: string | null;
}

const rangesOf = (json: string): Range[] =>
  (JSON.parse(json) as Array<{ experiments: Range[] | null }>)[1]!.experiments ?? [];

/** The table's rows as [Experiment, State] pairs (the first columns of `exp show --md`). */
function states(md: string): Array<[string, string]> {
  const lines = md.trim().split("\n");
  const head = lines[0]!.split("|").map((c) => c.trim());
  const at = head.indexOf("State");
  return lines.slice(2).map((l) => {
    const cells = l.split("|").map((c) => c.trim());
    return [cells[1]!, at < 0 ? "" : cells[at]!];
  });
}

describe("exp show: the queue's entries", () => {
  it("waiting entries: under their baseline with their overrides, no metrics, State Queued; --hide-queued", async () => {
    const p = await queueProject();
    await queueLrs(p, "0.2", "0.3");
    const json = await p.dvx("exp", "show", "--json");
    expect(json.code, json.stderr).toBe(0);
    const ranges = rangesOf(json.stdout);
    expect(ranges.map((r) => [r.name, r.executor?.state, r.executor?.name])).toEqual(
      expect.arrayContaining([
        ["lr-0.2", "queued", "dvc-task"],
        ["lr-0.3", "queued", "dvc-task"],
      ]),
    );
    expect(ranges).toHaveLength(2);
    const r2 = ranges.find((r) => r.name === "lr-0.2")!;
    expect(r2.revs[0]!.data!.params).toEqual({ "params.yaml": { data: { train: { lr: 0.2 } } } });
    expect(r2.revs[0]!.data!.metrics).toEqual({});
    expect(r2.executor!.local!.task_id).toBe(r2.revs[0]!.rev);
    expect(p.r.git("rev-parse", `${r2.revs[0]!.rev}^`).trim()).toBe(p.head); // the snapshot's parent: the baseline

    const md = await p.dvx("exp", "show", "--md");
    expect(states(md.stdout).filter(([, s]) => s === "Queued")).toHaveLength(2);
    expect(md.stdout).toContain("Dvc-task");
    const hidden = await p.dvx("exp", "show", "--md", "--hide-queued");
    expect(hidden.stdout).not.toContain("lr-0.2");
    expect(hidden.stdout).not.toContain("State"); // an empty State column is dropped
  });

  it("a running entry says Running with its worker; a failed one Failed; finished ones are experiments", async () => {
    const p = await queueProject();
    await queueLrs(p, "0.2", "bad", "0.4");
    p.hold("0.4");
    const run = startBuilt(p.r.dir, ["queue", "start"]);
    await waitStarted(p, "0.4"); // one at a time: 0.2 finished, bad failed, 0.4 runs
    const during = rangesOf((await p.dvx("exp", "show", "--json")).stdout);
    const byName = new Map(during.map((r) => [r.name, r]));
    expect(byName.get("lr-0.2")?.executor).toBeNull();
    expect(byName.get("lr-0.4")?.executor).toMatchObject({ state: "running", name: "dvc-task" });
    expect(byName.get("lr-0.4")?.executor?.local?.pid).toEqual(expect.any(Number));
    expect(byName.get("lr-0.4")?.revs[0]!.data!.metrics).toEqual({});
    expect(byName.get("lr-bad")?.executor).toMatchObject({ state: "failed", name: null });
    expect(byName.get("lr-bad")?.revs[0]!.error).toEqual({ msg: "Experiment run failed", type: "" });
    // DVC's order: running, finished, queued, failed
    expect(during.map((r) => r.name)).toEqual(["lr-0.4", "lr-0.2", "lr-bad"]);
    expect(states((await p.dvx("exp", "show", "--md")).stdout)).toEqual(
      expect.arrayContaining([
        [expect.stringContaining("lr-0.4"), "Running"],
        [expect.stringContaining("lr-bad"), "Failed"],
      ]),
    );
    p.release("0.4");
    expect((await run.done).code).toBe(1); // one failed
    const after = rangesOf((await p.dvx("exp", "show", "--json", "--hide-failed")).stdout);
    expect(after.map((r) => [r.name, r.executor])).toEqual(
      expect.arrayContaining([
        ["lr-0.2", null],
        ["lr-0.4", null],
      ]),
    );
    expect(after).toHaveLength(2);
  });
});
