// The experiment queue through the built CLI (issue 12, docs/queue.md): exp run --queue snapshots the workspace
// (with -S applied to the snapshot only), queue start -j N runs experiments in parallel worktrees sharing the cache,
// each ending as an experiment ref with its params and metrics; status, logs and remove; names and bad input.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expRefName } from "../../src/exp/refs.js";
import { expectNoWorktrees, queueLrs, queueProject, waitStarted } from "../helpers/queue.js";
import { startBuilt } from "../helpers/pipeline.js";

const errorCode = (stderr: string): string => (JSON.parse(stderr.trim()) as { error: { code: string } }).error.code;

describe("dvx queue: running queued experiments", () => {
  it("runs 3 queued experiments 2 at a time in worktrees; each ref has its params and metrics", async () => {
    const p = await queueProject();
    const { r, head } = p;
    p.hold("0.2", "0.3", "0.4");
    await queueLrs(p, "0.2", "0.3", "0.4");
    // the workspace is untouched: -S went into the snapshots only
    expect(r.read("params.yaml")).toBe("train:\n  lr: 0.1\n");
    expect(r.git("status", "--porcelain")).toBe("");
    const queued = await p.status();
    expect(queued.map((e) => [e.name, e.status])).toEqual([
      ["lr-0.2", "queued"],
      ["lr-0.3", "queued"],
      ["lr-0.4", "queued"],
    ]);
    // the snapshots live outside refs/exps (all DVC reads): nothing there yet
    expect(p.expRefs()).toEqual([]);
    expect(r.git("for-each-ref", "--format=%(refname)", "refs/dvx/queue").trim().split("\n")).toHaveLength(3);

    const run = startBuilt(r.dir, ["queue", "start", "-j", "2"]);
    await waitStarted(p, "0.2", "0.3");
    // two run at once, the third waits for a free slot
    await new Promise((res) => setTimeout(res, 800));
    expect(p.started("0.4")).toBe(false);
    expect(p.worktrees()).toHaveLength(3);
    p.release("0.2", "0.3", "0.4");
    const res = await run.done;
    expect(res.code, run.out()).toBe(0);

    for (const lr of ["0.2", "0.3", "0.4"]) {
      const ref = expRefName(head, `lr-${lr}`);
      expect(r.git("show", `${ref}:params.yaml`)).toBe(`train:\n  lr: ${lr}\n`);
      expect(JSON.parse(r.git("show", `${ref}:metrics.json`))).toEqual({ acc: Number(lr) });
      expect(r.git("log", "-1", "--format=%P%n%s", ref).trim()).toMatch(
        new RegExp(`^${head}\\ndvc: commit experiment [0-9a-f]{64}$`),
      );
      expect(r.git("show", `${ref}:dvc.lock`)).toContain(`lr: ${lr}`);
    }
    const done = await p.status();
    expect(done.map((e) => e.status)).toEqual(["success", "success", "success"]);
    expect(done.map((e) => (e.experiment as { commit: string }).commit)).toEqual(
      ["0.2", "0.3", "0.4"].map((lr) => r.git("rev-parse", expRefName(head, `lr-${lr}`)).trim()),
    );
    expectNoWorktrees(p);
    expect(r.git("status", "--porcelain")).toBe("");
    // the outputs went to the shared cache: applying an experiment restores its model from it
    const apply = await p.dvx("exp", "apply", "lr-0.3");
    expect(apply.code, apply.stderr).toBe(0);
    expect(r.read("model.txt")).toBe("model 0.3\n");
    // each run's output is in its log
    const logs = await p.dvx("queue", "logs", "lr-0.4");
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("training lr=0.4");
  });

  it("a failing stage: that experiment is failed with its log kept, the others succeed; exit 1", async () => {
    const p = await queueProject();
    await queueLrs(p, "0.2", "bad", "0.4");
    const res = await p.dvx("queue", "start", "-j", "2");
    expect(res.code, res.stderr).toBe(1);
    const st = await p.status();
    expect(st.map((e) => [e.name, e.status])).toEqual([
      ["lr-0.2", "success"],
      ["lr-bad", "failed"],
      ["lr-0.4", "success"],
    ]);
    expect((st[1]!.error as { code: string }).code).toBe("EXPERIMENT_FAILED");
    expect(p.expRefs().map((x) => x.split("/").at(-1))).toEqual(["lr-0.2", "lr-0.4"]);
    const log = await p.dvx("queue", "logs", "lr-bad");
    expect(log.stdout).toContain("diverged");
    expect(existsSync(join(p.r.dir, st[1]!.log as string))).toBe(true);
    expectNoWorktrees(p);
    // every queued run left a record: notes on the two experiment commits, the failed one in .dvc/tmp/runs
    const runs = await p.dvx("runs", "list", "--all", "--json");
    expect(runs.code, runs.stderr).toBe(0);
    const records = JSON.parse(runs.stdout) as Array<{ name: string; kind: string; status: string; command: string }>;
    const byName = new Map(records.map((x) => [x.name, x]));
    expect(byName.get("lr-0.2")).toMatchObject({ kind: "experiment", status: "finished" });
    expect(byName.get("lr-0.4")).toMatchObject({ kind: "experiment", status: "finished" });
    expect(byName.get("lr-bad")).toMatchObject({ kind: "experiment", status: "failed" });
    expect(byName.get("lr-0.2")!.command).toContain("--queue");
    const ref = p.expRefs().find((x) => x.endsWith("/lr-0.2"))!;
    expect(p.r.git("notes", "--ref", "dvx-runs", "show", ref)).toContain('"lr-0.2"');
  });

  it("exp run --run-all -j N runs what is queued; --queue --run-all queues first", async () => {
    const p = await queueProject();
    await queueLrs(p, "0.2");
    const res = await p.dvx(
      "exp",
      "run",
      "--queue",
      "-S",
      "train.lr=0.5",
      "-n",
      "half",
      "--run-all",
      "-j",
      "2",
      "--json",
    );
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { queued: { queued: unknown[] }; run: { ran: Array<{ name: string }> } };
    expect(out.queued.queued).toHaveLength(1);
    expect(out.run.ran.map((x) => x.name).sort()).toEqual(["half", "lr-0.2"]);
    expect(p.expRefs()).toHaveLength(2);
    const alone = await p.dvx("exp", "run", "--run-all", "-S", "train.lr=1");
    expect(alone.code).toBe(2);
  });

  it("takes untracked files and .dvc-tracked data (from the shared cache) into the worktree", async () => {
    const p = await queueProject();
    const { r } = p;
    r.write({
      "data.csv": "a,b\n1,2\n",
      "dvc.yaml":
        "stages:\n  train:\n    cmd: cat data.csv notes.txt > seen.txt && sh train.sh\n    deps: [train.sh, data.csv, notes.txt]\n" +
        "    params: [train.lr]\n    outs: [model.txt]\n    metrics:\n    - metrics.json:\n        cache: false\n" +
        "    - seen.txt:\n        cache: false\n",
      "notes.txt": "untracked note\n",
    });
    expect((await p.dvx("add", "data.csv")).code).toBe(0);
    r.git("add", "data.csv.dvc", ".gitignore", "dvc.yaml");
    r.git("commit", "-qm", "data");
    const head = r.git("rev-parse", "HEAD").trim();
    await queueLrs(p, "0.7");
    const res = await p.dvx("queue", "start");
    expect(res.code, res.stderr).toBe(0);
    expect(r.git("show", `${expRefName(head, "lr-0.7")}:seen.txt`)).toBe("a,b\n1,2\nuntracked note\n");
    expect(readFileSync(join(r.dir, "notes.txt"), "utf8")).toBe("untracked note\n");
  });
});

describe("dvx queue: status, logs, remove, names", () => {
  it("remove by name, --failed, --success; exp remove --queue; their refs go too", async () => {
    const p = await queueProject();
    await queueLrs(p, "0.2", "bad");
    expect((await p.dvx("queue", "start")).code).toBe(1);
    await queueLrs(p, "0.3", "0.4");
    const refs = (): number => p.r.git("for-each-ref", "refs/dvx/queue").trim().split("\n").filter(Boolean).length;
    expect(refs()).toBe(4);
    const failed = await p.dvx("queue", "remove", "--failed", "--json");
    expect(JSON.parse(failed.stdout)).toMatchObject({ removed: [{ name: "lr-bad", status: "failed" }] });
    expect((await p.dvx("queue", "remove", "lr-0.3")).code).toBe(0);
    expect((await p.status()).map((e) => e.name)).toEqual(["lr-0.2", "lr-0.4"]);
    expect((await p.dvx("exp", "remove", "--queue")).code).toBe(0);
    expect((await p.status()).map((e) => e.name)).toEqual(["lr-0.2"]);
    expect((await p.dvx("queue", "remove", "--success")).code).toBe(0);
    expect(await p.status()).toEqual([]);
    expect(refs()).toBe(0);
    expect(p.expRefs()).toHaveLength(1); // the experiment it made stays
    const unknown = await p.dvx("queue", "logs", "nope");
    expect(unknown.code).toBe(1);
    const gone = await p.dvx("queue", "remove", "nope", "--json");
    expect([gone.code, errorCode(gone.stderr)]).toEqual([1, "QUEUE_ENTRY_NOT_FOUND"]);
    const none = await p.dvx("queue", "remove");
    expect(none.code).toBe(2);
  });

  it("a sweep queues one experiment per combination (-n NAME → NAME-1, NAME-2 …)", async () => {
    const p = await queueProject({ "params.yaml": "train:\n  lr: 0.1\n  epochs: 1\n" });
    const res = await p.dvx(
      "exp",
      "run",
      "--queue",
      "-S",
      "train.lr=0.2,0.3",
      "-S",
      "train.epochs=range(1,3)",
      "-n",
      "sw",
    );
    expect(res.code, res.stderr).toBe(0);
    const st = await p.status();
    expect(st.map((e) => [e.name, (e.params as string[]).join(" ")])).toEqual([
      ["sw-1", "train.lr=0.2 train.epochs=1"],
      ["sw-2", "train.lr=0.2 train.epochs=2"],
      ["sw-3", "train.lr=0.3 train.epochs=1"],
      ["sw-4", "train.lr=0.3 train.epochs=2"],
    ]);
    expect(p.r.git("show", `refs/dvx/queue/${st[3]!.id}:params.yaml`)).toBe("train:\n  lr: 0.3\n  epochs: 2\n");
  });

  it("bad input queues nothing: a taken name (exit 1), a bad -S (exit 2), a sweep without --queue (exit 2)", async () => {
    const p = await queueProject();
    expect((await p.dvx("exp", "run", "-n", "taken", "-S", "train.lr=0.9")).code).toBe(0);
    const taken = await p.dvx("exp", "run", "--queue", "-n", "taken", "--json");
    expect([taken.code, errorCode(taken.stderr)]).toEqual([1, "EXPERIMENT_EXISTS"]);
    await queueLrs(p, "0.2");
    const twice = await p.dvx("exp", "run", "--queue", "-n", "lr-0.2", "--json");
    expect([twice.code, errorCode(twice.stderr)]).toEqual([1, "EXPERIMENT_EXISTS"]);
    const bad = await p.dvx("exp", "run", "--queue", "-S", "nofile.yaml:a=1", "--json");
    expect([bad.code, errorCode(bad.stderr)]).toEqual([2, "PARAM_OVERRIDE"]);
    const sweep = await p.dvx("exp", "run", "-S", "train.lr=1,2", "--json");
    expect([sweep.code, errorCode(sweep.stderr)]).toEqual([2, "PARAM_OVERRIDE"]);
    expect((await p.status()).map((e) => e.name)).toEqual(["lr-0.2"]);
  });
});
