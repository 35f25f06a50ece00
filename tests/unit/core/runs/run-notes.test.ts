// Run records as git notes (refs/notes/dvx-runs): written directly, read back by the system git; fanned-out notes
// trees that git writes are read; concurrent writers (CAS on the notes ref) lose no record; two records of one
// commit are both kept.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readNotes } from "../../../../src/git/notes.js";
import { addRunNote, noteRecords, readRunNotes, RUN_NOTES_REF } from "../../../../src/core/runs/run-notes.js";
import type { RunRecord } from "../../../../src/core/runs/record.js";
import { commitAll, git, tmpDir, writeFiles } from "../../../helpers/tmp-repo.js";

const ENV = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_COMMITTER_NAME: "Runner",
  GIT_COMMITTER_EMAIL: "runner@example.com",
  GIT_AUTHOR_NAME: "Runner",
  GIT_AUTHOR_EMAIL: "runner@example.com",
};

const rec = (id: string, name = "exp"): RunRecord =>
  ({
    version: 1,
    id,
    name,
    kind: "experiment",
    status: "finished",
    started: `2026-01-01T00:00:0${id.length % 10}Z`,
  }) as RunRecord;

function repoWithCommits(n: number): { dir: string; commits: string[] } {
  const dir = tmpDir();
  git(dir, "init", "-q");
  const commits: string[] = [];
  for (let i = 0; i < n; i++) {
    writeFiles(dir, { "f.txt": `${i}\n` });
    commits.push(commitAll(dir, `c${i}`));
  }
  return { dir, commits };
}

describe("run notes", () => {
  it("a note git shows with `git notes --ref dvx-runs`; fsck is clean", async () => {
    const { dir, commits } = repoWithCommits(2);
    await addRunNote(dir, ENV, commits[1]!, rec("run-1", "first"));
    expect(git(dir, "notes", "--ref", "dvx-runs", "list")).toBe(
      `${git(dir, "rev-parse", `${RUN_NOTES_REF}:${commits[1]}`)} ${commits[1]}`,
    );
    const shown = git(dir, "notes", "--ref", "dvx-runs", "show", commits[1]!);
    expect(JSON.parse(shown)).toMatchObject({ id: "run-1", name: "first" });
    // written as the annotated commit's committer, at the time of writing
    expect(git(dir, "log", "-1", "--format=%cn <%ce>", RUN_NOTES_REF)).toBe(
      git(dir, "log", "-1", "--format=%cn <%ce>", commits[1]!),
    );
    expect(Math.abs(Number(git(dir, "log", "-1", "--format=%ct", RUN_NOTES_REF)) - Date.now() / 1000)).toBeLessThan(60);
    git(dir, "fsck", "--strict", "--no-dangling");
    // the default notes ref (what `git log` shows) is untouched
    expect(git(dir, "for-each-ref", "refs/notes/commits")).toBe("");
  });

  it("concurrent writers keep every record; two records of one commit become a list", async () => {
    const { dir, commits } = repoWithCommits(6);
    await Promise.all([
      ...commits.map((c, i) => addRunNote(dir, ENV, c, rec(`run-${i}`))),
      addRunNote(dir, ENV, commits[0]!, rec("run-0-again")),
    ]);
    const all = await readRunNotes(dir);
    expect(all.map((n) => n.record.id).sort()).toEqual([...commits.map((_, i) => `run-${i}`), "run-0-again"].sort());
    const both = noteRecords(git(dir, "notes", "--ref", "dvx-runs", "show", commits[0]!));
    expect(both.map((r) => r.id).sort()).toEqual(["run-0", "run-0-again"]);
    // the same record again changes nothing
    const before = git(dir, "rev-parse", RUN_NOTES_REF);
    const again = both.find((r) => r.id === "run-0")!;
    await addRunNote(dir, ENV, commits[0]!, again);
    expect(git(dir, "rev-parse", `${RUN_NOTES_REF}^{tree}`)).toBe(git(dir, "rev-parse", `${before}^{tree}`));
    git(dir, "fsck", "--strict", "--no-dangling");
  });

  it("reads the fanned-out notes trees git writes, and git reads what dvx adds to them", async () => {
    const dir = tmpDir();
    git(dir, "init", "-q");
    // 300 commits and a note on each through git fast-import, which fans the notes tree out (ab/cdef…)
    const lines: string[] = [];
    for (let i = 1; i <= 300; i++)
      lines.push(`commit refs/heads/main\nmark :${i}\ncommitter g <g@e> ${i} +0000\ndata 2\nc\n`);
    lines.push("commit refs/notes/dvx-runs\ncommitter g <g@e> 0 +0000\ndata 0\n");
    for (let i = 1; i <= 300; i++) {
      const body = JSON.stringify(rec(`g-${i}`));
      lines.push(`N inline :${i}\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    }
    execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, input: lines.join("") });
    const tree = git(dir, "ls-tree", RUN_NOTES_REF);
    expect(tree.split("\n").every((l) => /^040000 tree [0-9a-f]{40}\t[0-9a-f]{2}$/.test(l))).toBe(true); // fanned out
    const notes = await readNotes(dir, RUN_NOTES_REF);
    expect(notes.size).toBe(300);
    const head = git(dir, "rev-parse", "main");
    expect(notes.has(head)).toBe(true);
    expect(JSON.parse(git(dir, "notes", "--ref", "dvx-runs", "show", head)).id).toBe("g-300");
    expect((await readRunNotes(dir)).find((n) => n.commit === head)?.record.id).toBe("g-300");

    git(dir, "checkout", "-q", "main");
    writeFiles(dir, { "a.txt": "a\n" });
    const commits = [commitAll(dir, "one")];
    await addRunNote(dir, ENV, commits[0]!, rec("dvx-1"));
    expect(git(dir, "notes", "--ref", "dvx-runs", "list").split("\n")).toHaveLength(301);
    expect(JSON.parse(git(dir, "notes", "--ref", "dvx-runs", "show", commits[0]!)).id).toBe("dvx-1");
    expect((await readRunNotes(dir)).length).toBe(301);
    git(dir, "fsck", "--strict", "--no-dangling");
  });
});
