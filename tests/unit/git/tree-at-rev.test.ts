import { execFileSync } from "node:child_process";
import { renameSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearGitCache, listFilesAtRev, readFileAtRev } from "../../../src/git/git.js";
import {
  buildSampleRepo,
  commitAll,
  git,
  makeTmp,
  removeTmp,
  writeFiles,
  type SampleRepo,
  codeOf,
} from "../../helpers/tmp-repo.js";

let tmp: string;
let repo: SampleRepo;
let odd: string; // binary file, symlink, gitlink, nested .dvc dir
let oddHead: string;

/** What `git ls-tree -r` lists as blobs, minus anything inside a .git/.dvc directory. */
function gitBlobs(dir: string, rev: string): string[] {
  return git(dir, "ls-tree", "-r", "-z", rev)
    .split("\0")
    .filter((line) => line.includes(" blob "))
    .map((line) => line.slice(line.indexOf("\t") + 1))
    .filter(
      (p) =>
        !p
          .split("/")
          .slice(0, -1)
          .some((seg) => seg === ".git" || seg === ".dvc"),
    )
    .sort();
}

const show = (dir: string, rev: string, p: string): Buffer =>
  execFileSync("git", ["show", `${rev}:${p}`], { cwd: dir });

beforeAll(() => {
  tmp = makeTmp();
  repo = buildSampleRepo(path.join(tmp, "repo"));
  odd = path.join(tmp, "odd");
  git(tmp, "init", "-q", odd);
  writeFiles(odd, {
    "a.txt": "alpha\n",
    "sub/.dvc/config": "x",
    "sub/keep.dvc": "outs: []\n",
    "m/.dvcignore": "",
    "with space/café.txt": "c\n",
  });
  writeFileSync(path.join(odd, "bin.dat"), Buffer.from([0, 255, 1, 254, 10, 13, 0]));
  symlinkSync("a.txt", path.join(odd, "link"));
  git(odd, "add", "-A");
  git(odd, "update-index", "--add", "--cacheinfo", `160000,${repo.commits.c1},vendor/lib`);
  oddHead = commitAll(odd, "odd");
});
afterAll(() => removeTmp(tmp));

describe("readFileAtRev", () => {
  it("reads a file as it was at each commit (packed and loose objects)", async () => {
    for (const oid of Object.values(repo.commits)) {
      expect(await readFileAtRev(repo.dir, oid, "a.txt")).toEqual(show(repo.dir, oid, "a.txt"));
    }
    expect((await readFileAtRev(repo.dir, repo.commits.loose, "late.txt"))?.toString()).toBe("late\n");
  });

  it("reads nested paths and normalises ./ and doubled slashes", async () => {
    const { c4 } = repo.commits;
    expect((await readFileAtRev(repo.dir, c4, "data/deep/y.json"))?.toString()).toBe("{}\n");
    expect((await readFileAtRev(repo.dir, c4, "./data//x.csv"))?.toString()).toBe("a,b\n1,2\n");
  });

  it("returns null for paths that are not files at that commit", async () => {
    const { c1, merge } = repo.commits;
    expect(await readFileAtRev(repo.dir, c1, "feat.txt")).toBeNull();
    expect((await readFileAtRev(repo.dir, merge, "feat.txt"))?.toString()).toBe("f2\n");
    for (const p of ["data", "data/deep", "a.txt/x", "missing/x.csv", "", "."]) {
      expect(await readFileAtRev(repo.dir, c1, p)).toBeNull();
    }
    expect(await readFileAtRev(odd, oddHead, "vendor/lib")).toBeNull();
  });

  it("returns bytes unchanged and a symlink's target text, like git show", async () => {
    expect(await readFileAtRev(odd, oddHead, "bin.dat")).toEqual(Buffer.from([0, 255, 1, 254, 10, 13, 0]));
    expect((await readFileAtRev(odd, oddHead, "link"))?.toString()).toBe("a.txt");
    expect((await readFileAtRev(odd, oddHead, "with space/café.txt"))?.toString()).toBe("c\n");
  });

  it("accepts an annotated tag object as the commit", async () => {
    const tagObject = git(repo.dir, "rev-parse", "v1.0");
    expect((await readFileAtRev(repo.dir, tagObject, "b.txt"))?.toString()).toBe("three\n");
  });

  it("refuses paths that leave the repository and unknown commits", async () => {
    expect(await codeOf(readFileAtRev(repo.dir, repo.commits.c1, "../x"))).toBe("UNSAFE_PATH");
    expect(await codeOf(readFileAtRev(repo.dir, repo.commits.c1, "/etc/passwd"))).toBe("UNSAFE_PATH");
    expect(await codeOf(readFileAtRev(repo.dir, "0".repeat(40), "a.txt"))).toBe("REVISION_NOT_FOUND");
    const blob = git(repo.dir, "rev-parse", "amb-a");
    expect(await codeOf(readFileAtRev(repo.dir, blob, "a.txt"))).toBe("REVISION_NOT_FOUND");
  });
});

describe("listFilesAtRev", () => {
  it("lists every blob like git ls-tree -r, at several commits", async () => {
    for (const oid of Object.values(repo.commits)) {
      expect(await listFilesAtRev(repo.dir, oid, () => true)).toEqual(gitBlobs(repo.dir, oid));
    }
  });

  it("skips .dvc directories at any depth and submodules, keeps symlinks and *.dvc files", async () => {
    const files = await listFilesAtRev(odd, oddHead, () => true);
    expect(files).toEqual(["a.txt", "bin.dat", "link", "m/.dvcignore", "sub/keep.dvc", "with space/café.txt"]);
    expect(files).toEqual(gitBlobs(odd, oddHead));
    expect(await listFilesAtRev(repo.dir, repo.commits.c1, () => true)).not.toContain(".dvc/config");
  });

  it("keeps only the paths the predicate accepts", async () => {
    const seen: string[] = [];
    const kept = await listFilesAtRev(repo.dir, repo.commits.c4, (p) => {
      seen.push(p);
      return p.endsWith(".csv") || p.endsWith(".json");
    });
    expect(kept).toEqual(["data/deep/y.json", "data/x.csv"]);
    expect(seen.sort()).toEqual(gitBlobs(repo.dir, repo.commits.c4));
  });

  it("caches tree reads: a second listing needs no object store, until the cache is cleared", async () => {
    const dir = path.join(tmp, "cache-check");
    git(tmp, "clone", "-q", repo.dir, dir);
    const head = git(dir, "rev-parse", "HEAD");
    const first = await listFilesAtRev(dir, head, () => true);
    const objects = path.join(dir, ".git", "objects");
    renameSync(objects, `${objects}.away`);
    try {
      expect(await listFilesAtRev(dir, head, () => true)).toEqual(first);
      clearGitCache(dir);
      expect(await codeOf(listFilesAtRev(dir, head, () => true))).toBe("REVISION_NOT_FOUND");
    } finally {
      renameSync(`${objects}.away`, objects);
    }
    expect(await listFilesAtRev(dir, head, () => true)).toEqual(first);
  });
});
