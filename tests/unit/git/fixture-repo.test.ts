// The DVC-made fixture: 4 commits on main, objects as DVC's own git usage left them.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentBranch,
  headOid,
  isIgnored,
  isTracked,
  listFilesAtRev,
  listRefs,
  readFileAtRev,
} from "../../../src/git/git.js";
import { GitRevReader, WorkspaceReader } from "../../../src/git/readers.js";
import { resolveRevision } from "../../../src/git/revparse.js";
import { extractBasicFixture, git, gitTry, makeTmp, removeTmp, revParse } from "../../helpers/tmp-repo.js";

let tmp: string;
let dir: string;

beforeAll(() => {
  tmp = makeTmp();
  dir = extractBasicFixture(tmp);
});
afterAll(() => removeTmp(tmp));

describe("basic fixture repo", () => {
  it("resolves HEAD~N exactly like git", async () => {
    for (const rev of ["HEAD", "HEAD~1", "HEAD~2", "HEAD~3", "main~2", "HEAD^^"]) {
      expect(await resolveRevision(dir, rev)).toBe(revParse(dir, rev));
    }
    expect(await headOid(dir)).toBe(revParse(dir, "HEAD"));
    expect(await currentBranch(dir)).toBe("main");
    expect((await listRefs(dir)).branches.map((b) => b.name)).toEqual(["main"]);
  });

  it("reads data.csv.dvc at HEAD~2 as git show does", async () => {
    const oid = await resolveRevision(dir, "HEAD~2");
    const expected = execFileSync("git", ["show", "HEAD~2:data.csv.dvc"], { cwd: dir });
    const got = await readFileAtRev(dir, oid, "data.csv.dvc");
    expect(got).toEqual(expected);
    expect(got?.toString()).toContain("md5: ef5b0ff5762bac4466f906872710eb34");
    const reader = await GitRevReader.open(dir, "HEAD~2");
    expect(await reader.readFile("data.csv.dvc")).toEqual(expected);
  });

  it("lists the files of each commit like git ls-tree, without .dvc/", async () => {
    for (const rev of ["HEAD", "HEAD~1", "HEAD~2", "HEAD~3"]) {
      const expected = git(dir, "ls-tree", "-r", "-z", "--name-only", rev)
        .split("\0")
        .filter((p) => p !== "" && !p.startsWith(".dvc/"))
        .sort();
      expect(await listFilesAtRev(dir, await resolveRevision(dir, rev), () => true)).toEqual(expected);
    }
  });

  it("agrees with git about tracked and ignored paths", async () => {
    for (const p of [
      "data.csv",
      "data.csv.dvc",
      "dvc.yaml",
      "images",
      "images.dvc",
      "metrics.json",
      ".dvc/config",
      "models",
    ]) {
      const tracked = gitTry(dir, "ls-files", "--error-unmatch", p).status === 0;
      const ignored = gitTry(dir, "check-ignore", "--no-index", "-q", p).status === 0;
      expect([p, await isTracked(dir, p), await isIgnored(dir, p)]).toEqual([p, tracked, ignored]);
    }
  });

  it("lists the workspace like git ls-files plus the DVC-managed (ignored) data, minus .dvc/", async () => {
    const listed = await new WorkspaceReader(dir).listFiles(() => true);
    const expected = git(dir, "ls-files", "-z", "--cached", "--others")
      .split("\0")
      .filter((p) => p !== "" && !p.startsWith(".dvc/"))
      .sort();
    expect(listed).toEqual(expected);
  });
});
