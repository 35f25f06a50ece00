// The one dvc.lock writer of a repro run (src/core/pipeline/lock-writer.ts): an updated stage's entry is replaced
// where it stands and every other byte of the file stays (comments, other entries, DVC's own layout); a new stage
// is appended; a missing or empty lock is written anew; parallel writes are serialised.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Project } from "../../../src/core/pipeline/project.js";
import { LockWriter } from "../../../src/core/pipeline/lock-writer.js";
import type { Repo } from "../../../src/core/repo.js";
import { lockEntry, type LockEntryData } from "../../../src/pipeline/lock-entry.js";
import { parseLockFile } from "../../../src/pipeline/lockfile.js";
import type { Stage } from "../../../src/pipeline/types.js";
import { tmpDir } from "../../helpers/tmp-repo.js";

const DVC_LOCK = readFileSync(resolve(__dirname, "../../fixtures/pipeline/dvc.lock"), "utf8");

function setup(lockText: string | null, file = "dvc.yaml") {
  const root = tmpDir();
  const lockPath = join(root, file.replace(/dvc\.yaml$/, "dvc.lock"));
  if (lockText !== null) writeFileSync(lockPath, lockText);
  const project = { locks: new Map() } as unknown as Project;
  const writer = new LockWriter({ root } as unknown as Repo, project);
  const stage = (name: string): Stage => ({ name, file }) as unknown as Stage;
  return { root, lockPath, project, writer, stage, read: () => readFileSync(lockPath, "utf8") };
}

const entry = (cmd: string, md5 = "a1".repeat(16)): LockEntryData =>
  lockEntry(cmd, [{ path: "in.txt", md5, size: 3 }], [], [{ path: "out.txt", md5, size: 3 }]);

const ENTRY_TEXT = (name: string, cmd: string, md5 = "a1".repeat(16)): string =>
  `  ${name}:\n    cmd: ${cmd}\n    deps:\n    - path: in.txt\n      hash: md5\n      md5: ${md5}\n      size: 3\n` +
  `    outs:\n    - path: out.txt\n      hash: md5\n      md5: ${md5}\n      size: 3\n`;

/** The text of one stage's entry in DVC's dvc.lock fixture: from its key line to the next key at 2 spaces. */
function entryText(text: string, name: string): string {
  const start = text.indexOf(`\n  ${name}:\n`) + 1;
  const next = text.slice(start + 3).search(/\n {2}\S/);
  return next < 0 ? text.slice(start) : text.slice(start, start + 3 + next + 1);
}

describe("LockWriter", () => {
  it("replaces one entry of a DVC-written lock in place and keeps every other byte", async () => {
    const t = setup(DVC_LOCK);
    await t.writer.write(t.stage("in_wdir"), entry("cp in.csv copy.csv"));
    const expected = DVC_LOCK.replace(entryText(DVC_LOCK, "in_wdir"), ENTRY_TEXT("in_wdir", "cp in.csv copy.csv"));
    expect(expected).not.toBe(DVC_LOCK);
    expect(t.read()).toBe(expected);
    expect(t.writer.written).toEqual(new Set(["dvc.lock"]));
  });

  it("keeps comments, blank lines and odd quoting around the replaced entry", async () => {
    const text =
      "# written by DVC\nschema: '2.0'\nstages:\n  # first\n" +
      ENTRY_TEXT("a", "echo a") +
      "\n  # the second one\n" +
      ENTRY_TEXT("b", "echo b") +
      '  c:\n    cmd: "echo c"  # trailing\n';
    const t = setup(text);
    await t.writer.write(t.stage("b"), entry("echo B", "b2".repeat(16)));
    expect(t.read()).toBe(text.replace(ENTRY_TEXT("b", "echo b"), ENTRY_TEXT("b", "echo B", "b2".repeat(16))));
    await t.writer.write(t.stage("a"), entry("echo A"));
    expect(t.read()).toBe(
      text
        .replace(ENTRY_TEXT("b", "echo b"), ENTRY_TEXT("b", "echo B", "b2".repeat(16)))
        .replace(ENTRY_TEXT("a", "echo a"), ENTRY_TEXT("a", "echo A")),
    );
  });

  it("appends a new stage after the last entry", async () => {
    const t = setup(DVC_LOCK);
    await t.writer.write(t.stage("new_stage"), entry("echo new"));
    expect(t.read()).toBe(DVC_LOCK + ENTRY_TEXT("new_stage", "echo new"));
    const parsed = parseLockFile(t.read(), "dvc.lock");
    expect([...parsed.stages.keys()].at(-1)).toBe("new_stage");
  });

  it("appends after a last entry that has no final newline", async () => {
    const text = "schema: '2.0'\nstages:\n" + ENTRY_TEXT("a", "echo a").replace(/\n$/, "");
    const t = setup(text);
    await t.writer.write(t.stage("b"), entry("echo b"));
    expect(t.read()).toBe("schema: '2.0'\nstages:\n" + ENTRY_TEXT("a", "echo a") + ENTRY_TEXT("b", "echo b"));
  });

  it("does not rewrite the file when the entry is unchanged", async () => {
    const text = "schema: '2.0'\nstages:\n" + ENTRY_TEXT("a", "echo a");
    const t = setup(text);
    await t.writer.write(t.stage("a"), entry("echo a"));
    expect(t.writer.written.size).toBe(0);
    expect(t.read()).toBe(text);
    // the project's view is still updated
    expect(t.project.locks.get("dvc.yaml")?.stages.get("a")?.cmd).toBe("echo a");
  });

  it("writes a missing lock anew, schema first", async () => {
    const t = setup(null);
    expect(existsSync(t.lockPath)).toBe(false);
    await t.writer.write(t.stage("a"), entry("echo a"));
    expect(t.read()).toBe("schema: '2.0'\nstages:\n" + ENTRY_TEXT("a", "echo a"));
  });

  it("writes a lock holding `stages: {}` (or only the schema) anew", async () => {
    for (const text of ["schema: '2.0'\nstages: {}\n", "schema: '2.0'\n", ""]) {
      const t = setup(text);
      await t.writer.write(t.stage("a"), entry("echo a"));
      expect(t.read(), JSON.stringify(text)).toBe("schema: '2.0'\nstages:\n" + ENTRY_TEXT("a", "echo a"));
    }
  });

  it("writes the lock beside a dvc.yaml in a sub-directory", async () => {
    const t = setup(null, "sub/dvc.yaml");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(t.root, "sub"));
    await t.writer.write(t.stage("a"), entry("echo a"));
    expect(readFileSync(join(t.root, "sub/dvc.lock"), "utf8")).toContain("  a:\n    cmd: echo a\n");
    expect(t.writer.written).toEqual(new Set(["sub/dvc.lock"]));
  });

  it("lays new entries out in plan order whatever order they finish in (-j), after the existing ones", async () => {
    const text = "schema: '2.0'\nstages:\n" + ENTRY_TEXT("old", "echo old");
    const t = setup(text);
    const writer = new LockWriter({ root: t.root } as unknown as Repo, t.project, {
      order: ["a", "b", "old", "c", "d"],
    });
    const st = (name: string): Stage => ({ name, file: "dvc.yaml", address: name }) as unknown as Stage;
    for (const n of ["d", "b", "old", "c", "a"]) await writer.write(st(n), entry(`echo ${n}`));
    expect(t.read()).toBe(
      "schema: '2.0'\nstages:\n" + ["old", "a", "b", "c", "d"].map((n) => ENTRY_TEXT(n, `echo ${n}`)).join(""),
    );
    // from no lock at all, too
    const fresh = setup(null);
    const w2 = new LockWriter({ root: fresh.root } as unknown as Repo, fresh.project, { order: ["a", "b", "c"] });
    for (const n of ["c", "a", "b"]) await w2.write(st(n), entry(`echo ${n}`));
    expect(fresh.read()).toBe(
      "schema: '2.0'\nstages:\n" + ["a", "b", "c"].map((n) => ENTRY_TEXT(n, `echo ${n}`)).join(""),
    );
  });

  it("serialises parallel writes: every entry lands, the file parses", async () => {
    const t = setup(null);
    const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await Promise.all(names.map((n) => t.writer.write(t.stage(n), entry(`echo ${n}`))));
    const parsed = parseLockFile(t.read(), "dvc.lock");
    expect([...parsed.stages.keys()].sort()).toEqual([...names].sort());
  });
});
