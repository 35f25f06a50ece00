// mergeBase against `git merge-base` on the sample repository (branches, a merge, packed objects; every commit has
// the same committer time, so the answer cannot come from dates), plus a criss-cross merge and unrelated histories.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeBase } from "../../../src/git/merge-base.js";
import {
  buildSampleRepo,
  commitAll,
  git,
  makeTmp,
  removeTmp,
  writeFiles,
  type SampleRepo,
} from "../../helpers/tmp-repo.js";

let tmp: string;
let repo: SampleRepo;

beforeAll(() => {
  tmp = makeTmp();
  repo = buildSampleRepo(path.join(tmp, "repo"));
});
afterAll(() => removeTmp(tmp));

describe("mergeBase", () => {
  it("answers what git merge-base answers for every pair of the sample's commits", async () => {
    const names = ["c1", "c2", "c3", "f1", "f2", "merge", "c4"] as const;
    for (const a of names)
      for (const b of names) {
        const want = git(repo.dir, "merge-base", repo.commits[a], repo.commits[b]);
        expect(await mergeBase(repo.dir, repo.commits[a], repo.commits[b]), `${a} ${b}`).toBe(want);
      }
  });

  it("takes a commit that is an ancestor of the other side over an older common ancestor", async () => {
    // merge's parents are c3 and f2; f2 is itself the best common ancestor of f2 and merge
    expect(await mergeBase(repo.dir, repo.commits.f2, repo.commits.merge)).toBe(repo.commits.f2);
  });

  it("returns one of git's best common ancestors for a criss-cross merge, and null for unrelated histories", async () => {
    const dir = path.join(tmp, "criss");
    git(tmp, "init", "-q", dir);
    writeFiles(dir, { "a.txt": "0\n" });
    commitAll(dir, "root");
    git(dir, "checkout", "-q", "-b", "x");
    writeFiles(dir, { "x.txt": "x\n" });
    const x1 = commitAll(dir, "x1");
    git(dir, "checkout", "-q", "main");
    writeFiles(dir, { "m.txt": "m\n" });
    const m1 = commitAll(dir, "m1");
    git(dir, "merge", "-q", "--no-ff", "-m", "m2", "x");
    const m2 = git(dir, "rev-parse", "HEAD");
    git(dir, "checkout", "-q", "x");
    git(dir, "merge", "-q", "--no-ff", "-m", "x2", m1);
    const x2 = git(dir, "rev-parse", "HEAD");
    const all = git(dir, "merge-base", "--all", m2, x2).split("\n").sort();
    expect(all).toEqual([x1, m1].sort());
    expect(all).toContain(await mergeBase(dir, m2, x2));
    git(dir, "checkout", "-q", "--orphan", "other");
    writeFiles(dir, { "o.txt": "o\n" });
    const other = commitAll(dir, "other");
    expect(await mergeBase(dir, other, m2)).toBeNull();
  });
});
