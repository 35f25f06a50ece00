import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitRevReader, WorkspaceReader } from "../../../src/git/readers.js";
import type { TreeReader } from "../../../src/git/tree-reader.js";
import { buildSampleRepo, makeTmp, removeTmp, writeFiles, type SampleRepo, codeOf } from "../../helpers/tmp-repo.js";

let tmp: string;
let ws: string;
let repo: SampleRepo;

beforeAll(() => {
  tmp = makeTmp();
  ws = path.join(tmp, "ws");
  writeFiles(ws, {
    "a.txt": "a\n",
    "data/x.csv": "1\n",
    "data/deep/y.json": "{}\n",
    "node_modules/pkg/index.js": "js\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".dvc/config": "",
    "sub/.dvc/tmp/z": "",
    "sub/.git": "gitdir: elsewhere\n",
    "x.dvc": "outs: []\n",
    ".dvcignore": "",
    "outside/secret.txt": "s\n",
  });
  mkdirSync(path.join(ws, "empty-dir"));
  symlinkSync("a.txt", path.join(ws, "link-to-file"));
  symlinkSync(path.join(ws, "outside"), path.join(ws, "link-to-dir"));
  symlinkSync("missing-target", path.join(ws, "dangling"));
  repo = buildSampleRepo(path.join(tmp, "repo"));
});
afterAll(() => removeTmp(tmp));

describe("WorkspaceReader", () => {
  it("lists files, skipping .git/.dvc at any depth, not following symlinked directories", async () => {
    const reader: TreeReader = new WorkspaceReader(ws);
    expect(reader.label).toBe("workspace");
    expect(await reader.listFiles(() => true)).toEqual([
      ".dvcignore",
      "a.txt",
      "data/deep/y.json",
      "data/x.csv",
      "link-to-file",
      "node_modules/pkg/index.js",
      "outside/secret.txt",
      "x.dvc",
    ]);
  });

  it("applies the keep predicate", async () => {
    const reader = new WorkspaceReader(ws);
    expect(await reader.listFiles((p) => p.startsWith("data/"))).toEqual(["data/deep/y.json", "data/x.csv"]);
  });

  it("reads files, and gives null for missing paths and directories", async () => {
    const reader = new WorkspaceReader(ws);
    expect((await reader.readFile("data/x.csv"))?.toString()).toBe("1\n");
    expect((await reader.readFile("./data//deep/y.json"))?.toString()).toBe("{}\n");
    expect((await reader.readFile("link-to-file"))?.toString()).toBe("a\n");
    for (const p of ["missing.txt", "data", "a.txt/below", "dangling", "", "empty-dir"]) {
      expect(await reader.readFile(p)).toBeNull();
    }
    expect(await codeOf(reader.readFile("../escape.txt"))).toBe("UNSAFE_PATH");
  });
});

describe("GitRevReader", () => {
  it("opens a revision, keeps the label as typed and reads that commit", async () => {
    const reader = await GitRevReader.open(repo.dir, "HEAD~2");
    expect(reader.label).toBe("HEAD~2");
    expect(reader.commitOid).toBe(repo.commits.c3);
    expect((await reader.readFile("a.txt"))?.toString()).toBe("two\n");
    expect((await reader.readFile("b.txt"))?.toString()).toBe("three\n");
    expect(await reader.readFile("feat.txt")).toBeNull();
    expect(await reader.listFiles(() => true)).toEqual(["a.txt", "b.txt", "data/deep/y.json", "data/x.csv"]);
  });

  it("labels a reader built from an oid with its short form unless told otherwise", async () => {
    expect(new GitRevReader(repo.dir, repo.commits.c1).label).toBe(repo.commits.c1.slice(0, 7));
    const reader: TreeReader = new GitRevReader(repo.dir, repo.commits.merge, "main~1");
    expect(reader.label).toBe("main~1");
    expect((await reader.readFile("feat.txt"))?.toString()).toBe("f2\n");
  });

  it("fails to open an unknown revision with REVISION_NOT_FOUND", async () => {
    expect(await codeOf(GitRevReader.open(repo.dir, "no-such-branch"))).toBe("REVISION_NOT_FOUND");
  });
});
