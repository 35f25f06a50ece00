// writeFileAtomic: temp + rename in the destination directory, the old file's permission bits kept, missing
// parent directories created, nothing left behind when the write fails.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../../src/fsx/atomic.js";
import { tmpDir } from "../../helpers/tmp-repo.js";

describe("writeFileAtomic", () => {
  it("replaces the file by rename (a new inode) and leaves no temp file", async () => {
    const dir = tmpDir();
    const file = join(dir, "dvc.lock");
    writeFileSync(file, "old\n");
    const before = statSync(file).ino;
    await writeFileAtomic(file, "new\n");
    expect(readFileSync(file, "utf8")).toBe("new\n");
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(["dvc.lock"]);
  });

  it("keeps the permission bits of the file it replaces", async () => {
    const dir = tmpDir();
    const run = join(dir, "run.sh");
    writeFileSync(run, "#!/bin/sh\n");
    chmodSync(run, 0o751);
    await writeFileAtomic(run, "#!/bin/sh\necho hi\n");
    expect(statSync(run).mode & 0o7777).toBe(0o751);
    const secret = join(dir, "config.local");
    await writeFileAtomic(secret, "[core]\n", 0o600);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
  });

  it("creates missing parent directories", async () => {
    const dir = tmpDir();
    await writeFileAtomic(join(dir, "a", "b", "c.txt"), Buffer.from("x"));
    expect(readFileSync(join(dir, "a", "b", "c.txt"), "utf8")).toBe("x");
  });

  it("fails without a trace when the destination cannot be written", async () => {
    const dir = tmpDir();
    mkdirSync(join(dir, "taken"));
    await expect(writeFileAtomic(join(dir, "taken"), "x")).rejects.toThrow(/EISDIR|directory/);
    expect(readdirSync(dir)).toEqual(["taken"]);
  });
});
