// A DVC project below the top of its git work tree (`dvc init --subdir`) is refused at once with a clear message
// (exit 3, SUBDIR_PROJECT): dvx reads revisions at the top of the work tree, so such a project would half-work.
// Nothing is written and no stage runs; `--no-scm` still works there.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBuilt } from "../helpers/pipeline.js";
import { makeRepo } from "../helpers/tmp-repo.js";

describe("a DVC project in a subdirectory of a git repository", () => {
  it("dvx init there (with or without --subdir) is refused, nothing created; --no-scm works", async () => {
    const r = await makeRepo({ init: false });
    const ml = join(r.dir, "ml");
    mkdirSync(ml);
    for (const argv of [["init"], ["init", "--subdir"]]) {
      const res = await runBuilt(ml, argv);
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(`'${ml}' is inside the git repository '${r.dir}' but not at its top`);
      expect(res.stderr).toContain("dvc init --subdir");
      expect(readdirSync(ml)).toEqual([]);
    }
    const noScm = await runBuilt(ml, ["init", "--no-scm", "-q"]);
    expect(noScm.code, noScm.stderr).toBe(0);
    expect(existsSync(join(ml, ".dvc", "config"))).toBe(true);
    // at the top, --subdir changes nothing (as in DVC)
    const top = await runBuilt(r.dir, ["init", "--subdir", "-q"]);
    expect(top.code, top.stderr).toBe(0);
    expect(existsSync(join(r.dir, ".dvc", "config"))).toBe(true);
  });

  it("a project DVC made there: add and repro are refused before writing or running anything", async () => {
    const r = await makeRepo({ init: false });
    const ml = join(r.dir, "ml");
    mkdirSync(join(ml, ".dvc"), { recursive: true });
    writeFileSync(join(ml, ".dvc", "config"), ""); // what `dvc init --subdir` writes
    writeFileSync(join(ml, ".dvc", ".gitignore"), "/config.local\n/tmp\n/cache\n");
    writeFileSync(join(ml, "data.txt"), "hi\n");
    writeFileSync(
      join(ml, "dvc.yaml"),
      "stages:\n  s:\n    cmd: cp data.txt out.txt\n    deps: [data.txt]\n    outs: [out.txt]\n",
    );
    const before = readdirSync(ml).sort();
    for (const argv of [["add", "data.txt"], ["repro"], ["status"]]) {
      const res = await runBuilt(ml, argv);
      expect(res.code, argv.join(" ")).toBe(3);
      expect(res.stderr).toContain("does not support DVC projects in a subdirectory of a git repository");
    }
    const json = await runBuilt(ml, ["status", "--json"]); // errors go to stderr, as JSON
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stderr).error).toMatchObject({
      code: "SUBDIR_PROJECT",
      details: { dir: ml, gitTop: r.dir },
    });
    expect(readdirSync(ml).sort()).toEqual(before); // no data.txt.dvc, no out.txt, no dvc.lock
    expect(readdirSync(join(ml, ".dvc")).sort()).toEqual([".gitignore", "config"]);
  });
});
