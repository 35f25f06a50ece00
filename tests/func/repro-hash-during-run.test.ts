// A stage without a dvc.lock entry runs whatever its dependencies hash to, so when they are workspace files left
// alone for a moment dvx hashes them while the command runs (issue 9's per-stage overhead). What it records must
// not depend on that: the files' hashes as the run left them (DVC saves deps after the run), also when the
// command rewrites its own dependency behind a same-size, back-dated write.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLock, runBuilt } from "../helpers/pipeline.js";
import { md5Hex } from "../helpers/store-walk.js";
import { makeRepo } from "../helpers/tmp-repo.js";

/** Longer than the 100 ms a dependency must be left alone to be hashed while its stage runs. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 250));

const depsOf = (dir: string, stage: string): Record<string, string | undefined> =>
  Object.fromEntries((readLock(dir)?.stages.get(stage)?.deps ?? []).map((d) => [d.path, d.md5]));

describe("repro: dependencies hashed while a new stage runs", () => {
  it("records the same hashes as hashing first, and status is clean afterwards", async () => {
    const big = randomBytes(3 << 20); // a streamed hash (over 1 MiB read at a time) and a small one
    const r = await makeRepo({
      files: {
        "in/big.bin": big,
        "in/small.txt": "small\n",
        "dvc.yaml":
          "stages:\n  join:\n    cmd: cat in/big.bin in/small.txt > out.bin\n" +
          "    deps: [in/big.bin, in/small.txt]\n    outs: [out.bin]\n",
      },
    });
    await settle();
    const res = await runBuilt(r.dir, ["repro"]);
    expect(res.code, res.stderr).toBe(0);
    expect(depsOf(r.dir, "join")).toEqual({ "in/big.bin": md5Hex(big), "in/small.txt": md5Hex("small\n") });
    expect(readLock(r.dir)?.stages.get("join")?.outs[0]?.md5).toBe(md5Hex(readFileSync(join(r.dir, "out.bin"))));
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual({});
  });

  it("hashes a dependency again when the command rewrote it (same size, mtime set back)", async () => {
    const r = await makeRepo({
      files: {
        "in.txt": "A",
        "dvc.yaml":
          "stages:\n  rewrite:\n" +
          "    cmd: sleep 0.3 && printf B > in.txt && touch -d 2020-01-01 in.txt && cp in.txt out.txt\n" +
          "    deps: [in.txt]\n    outs: [out.txt]\n",
      },
    });
    await settle();
    const res = await runBuilt(r.dir, ["repro"]);
    expect(res.code, res.stderr).toBe(0);
    expect(r.read("in.txt")).toBe("B");
    // read while the command slept, hashed again after it: the dependency as the run left it (as DVC's
    // stage.save() after the command records it)
    expect(depsOf(r.dir, "rewrite")).toEqual({ "in.txt": md5Hex("B") });
    const st = await runBuilt(r.dir, ["status", "--json"]);
    expect(JSON.parse(st.stdout)).toEqual({});
  });

  it("a dependency missing when the stage starts still fails it before its command runs", async () => {
    const r = await makeRepo({
      files: {
        "dvc.yaml":
          "stages:\n  s:\n    cmd: echo ran > ran.txt && cp missing.txt out.txt\n" +
          "    deps: [missing.txt]\n    outs: [out.txt]\n",
      },
    });
    await settle();
    const res = await runBuilt(r.dir, ["repro"]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("missing.txt");
    expect(() => r.read("ran.txt")).toThrow();
  });
});
