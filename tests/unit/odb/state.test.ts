import { describe, expect, it } from "vitest";
import { statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HashState } from "../../../src/odb/state.js";
import { tmpDir } from "../../helpers/tmp-repo.js";

describe("stat-keyed hash cache", () => {
  it("remembers a hash across loads and forgets it when size, mtime or inode change", async () => {
    const dir = tmpDir();
    const f = join(dir, "f");
    writeFileSync(f, "abc");
    utimesSync(f, 1_000_000, 1_000_000);
    const st = statSync(f);
    const s1 = HashState.load(join(dir, "state"));
    s1.set("f", st, "md5", "h1");
    await s1.save();
    const s2 = HashState.load(join(dir, "state"));
    expect(s2.get("f", st, "md5")).toBe("h1");
    expect(s2.get("f", st, "md5-dos2unix")).toBeUndefined();
    writeFileSync(f, "abcd");
    utimesSync(f, 1_000_000, 1_000_000);
    expect(s2.get("f", statSync(f), "md5")).toBeUndefined(); // size changed
    writeFileSync(f, "abc");
    utimesSync(f, 1_000_001, 1_000_001);
    expect(s2.get("f", statSync(f), "md5")).toBeUndefined(); // mtime changed
  });

  it("does not remember files modified within the racy window", () => {
    const dir = tmpDir();
    const f = join(dir, "f");
    writeFileSync(f, "abc");
    const st = statSync(f);
    const s = HashState.load(join(dir, "state"));
    s.set("f", st, "md5", "h1", st.mtimeMs + 10);
    expect(s.get("f", st, "md5")).toBeUndefined();
    s.set("f", st, "md5", "h1", st.mtimeMs + 60_000);
    expect(s.get("f", st, "md5")).toBe("h1");
  });

  it("survives a torn or foreign file by starting over", () => {
    const dir = tmpDir();
    writeFileSync(join(dir, "state"), "garbage\x00\x01");
    const s = HashState.load(join(dir, "state"));
    expect(s.get("f", statSync(dir), "md5")).toBeUndefined();
  });
});
