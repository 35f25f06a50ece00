// The values `exp show --record` adds: fields of the newest record noted on each experiment commit.
import { describe, expect, it } from "vitest";
import { parseRecordFields, recordValues } from "../../../../src/core/runs/record-columns.js";
import type { RunRecord } from "../../../../src/core/runs/record.js";
import { addRunNote } from "../../../../src/core/runs/run-notes.js";
import { commitAll, git, tmpDir, writeFiles } from "../../../helpers/tmp-repo.js";

const ENV = { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

const rec = (id: string, started: string, over: Partial<RunRecord> = {}): RunRecord =>
  ({
    version: 1,
    id,
    name: "e",
    kind: "experiment",
    status: "finished",
    started,
    durationMs: 65_000,
    user: "ada",
    git: { commit: null, branch: null, dirty: true, changed: ["a"] },
    metrics: { "m.json": { acc: 0.5 } },
    ...over,
  }) as RunRecord;

describe("exp show --record columns", () => {
  it("takes each commit's values from its newest record; commits without one have none", async () => {
    const dir = tmpDir();
    git(dir, "init", "-q");
    const commits = ["a", "b", "c"].map((n) => (writeFiles(dir, { [n]: n }), commitAll(dir, n)));
    await addRunNote(dir, ENV, commits[0]!, rec("old", "2026-01-01T00:00:00.000Z", { status: "failed" }));
    await addRunNote(dir, ENV, commits[0]!, rec("new", "2026-01-02T00:00:00.000Z", { durationMs: 1500 }));
    await addRunNote(dir, ENV, commits[1]!, rec("other", "2026-01-03T00:00:00.000Z", { user: "bob" }));
    const cols = await recordValues(dir, "duration, status,user,started,git.dirty,metrics.acc,nothing");
    expect(cols.fields).toEqual(["duration", "status", "user", "started", "git.dirty", "metrics.acc", "nothing"]);
    expect(cols.values[commits[0]!]).toEqual([1.5, "finished", "ada", "2026-01-02T00:00:00.000Z", true, 0.5, null]);
    expect(cols.values[commits[1]!]!.slice(0, 3)).toEqual([65, "finished", "bob"]);
    expect(cols.values[commits[2]!]).toBeUndefined();
  });

  it("a field that is not a dotted name is a usage error (exit 2)", () => {
    for (const bad of ["", "status == 1", "a,,b.", "x y", "!x"]) {
      let code: number | undefined;
      try {
        parseRecordFields(bad);
      } catch (e) {
        code = (e as { exitCode?: number }).exitCode;
      }
      expect(code, bad).toBe(2);
    }
  });
});
