// The hand-written git plumbing experiments use (index reader, object writer, refs with git's lockfile protocol),
// checked against what the system git says about the same repository.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RefChangedError, RefLockedError } from "../../../src/git/git-errors.js";
import { readIndex } from "../../../src/git/index-file.js";
import { commitContent, hashObject, treeContent, writeObject } from "../../../src/git/objects.js";
import { deleteRef, listRefsUnder, readRefRaw, resolveRef, updateRef } from "../../../src/git/refs-store.js";
import { gitDate } from "../../../src/git/identity.js";
import { commitAll, git, makeTmp, removeTmp, writeFiles } from "../../helpers/tmp-repo.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeTmp));

function repo(): string {
  const dir = makeTmp();
  dirs.push(dir);
  git(dir, "init", "-q");
  writeFiles(dir, { "a.txt": "one\n", "d/b.txt": "two\n", "d/e/c.txt": "three\n", "z.sh": "#!/bin/sh\n" });
  chmodSync(path.join(dir, "z.sh"), 0o755);
  symlinkSync("a.txt", path.join(dir, "link"));
  commitAll(dir, "c1");
  return dir;
}

/** `git ls-files -s` as path → "mode oid". */
const lsFiles = (dir: string): Map<string, string> =>
  new Map(
    git(dir, "ls-files", "-s")
      .split("\n")
      .map((l) => {
        const [meta, p] = l.split("\t") as [string, string];
        const [mode, oid] = meta.split(" ");
        return [p, `${mode} ${oid}`];
      }),
  );

describe("index reader", () => {
  for (const version of [2, 3, 4]) {
    it(`reads a version ${version} index as git ls-files does (intent-to-add and staged entries too)`, async () => {
      const dir = repo();
      writeFiles(dir, { "new.txt": "n\n", "d/e/later.txt": "later\n" });
      git(dir, "add", "new.txt");
      git(dir, "add", "-N", "d/e/later.txt");
      git(dir, "update-index", "--index-version", String(version));
      const { entries } = await readIndex(path.join(dir, ".git"));
      const ours = new Map(entries.map((e) => [e.path, `${e.mode === "40000" ? "040000" : e.mode} ${e.oid}`]));
      expect(ours).toEqual(lsFiles(dir));
      expect(entries.find((e) => e.path === "d/e/later.txt")?.intentToAdd).toBe(true);
      const st = (await import("node:fs")).statSync(path.join(dir, "a.txt"));
      const a = entries.find((e) => e.path === "a.txt")!;
      expect([a.size, a.mtimeSec]).toEqual([st.size, Math.floor(st.mtimeMs / 1000)]);
    });
  }
});

describe("object writer", () => {
  it("writes blobs, trees and commits that git reads back byte for byte and fsck accepts", async () => {
    const dir = repo();
    const common = path.join(dir, ".git");
    const blob = await writeObject(common, "blob", Buffer.from("hello\n"));
    expect(blob).toBe(execFileSync("git", ["hash-object", "--stdin"], { input: "hello\n", encoding: "utf8" }).trim());
    expect(git(dir, "cat-file", "-p", blob)).toBe("hello");
    const sub = await writeObject(common, "tree", treeContent([{ name: "x", mode: "100644", oid: blob }]));
    // git's order: "a.b" < "a/" (a tree sorts as "a/") < "a0"
    const items = [
      { name: "a0", mode: "100644", oid: blob },
      { name: "a", mode: "40000", oid: sub },
      { name: "a.b", mode: "100755", oid: blob },
      { name: "l", mode: "120000", oid: blob },
    ];
    const tree = await writeObject(common, "tree", treeContent(items));
    const mktree = execFileSync("git", ["mktree"], {
      cwd: dir,
      input: `040000 tree ${sub}\ta\n100644 blob ${blob}\ta0\n100755 blob ${blob}\ta.b\n120000 blob ${blob}\tl\n`,
      encoding: "utf8",
    }).trim();
    expect(tree).toBe(mktree);
    const head = git(dir, "rev-parse", "HEAD");
    const fields = {
      tree,
      parents: [head],
      author: "A U <a@u> 1700000000 +0100",
      committer: "C <c@x> 1700000001 -0230",
      message: "msg",
    };
    const commit = await writeObject(common, "commit", commitContent(fields));
    expect(hashObject("commit", commitContent(fields))).toBe(commit);
    expect(git(dir, "log", "-1", "--format=%P|%an|%ae|%at|%ai|%cn|%B", commit)).toBe(
      `${head}|A U|a@u|1700000000|2023-11-14 23:13:20 +0100|C|msg`,
    );
    git(dir, "update-ref", "refs/heads/tmp", commit);
    git(dir, "fsck", "--strict", "--no-dangling");
  });
});

describe("refs", () => {
  const REF = "refs/exps/ab/cdef/x";

  it("creates only when absent, updates only from the expected value, and leaves no lock behind", async () => {
    const dir = repo();
    const head = git(dir, "rev-parse", "HEAD");
    await updateRef(dir, REF, head, null);
    expect(git(dir, "rev-parse", REF)).toBe(head);
    await expect(updateRef(dir, REF, head, null)).rejects.toBeInstanceOf(RefChangedError);
    await expect(updateRef(dir, REF, head, "0".repeat(40))).rejects.toBeInstanceOf(RefChangedError);
    await updateRef(dir, REF, head, head);
    expect(existsSync(path.join(dir, ".git", `${REF}.lock`))).toBe(false);
  });

  it("refuses while another process holds the ref's lock file", async () => {
    const dir = repo();
    execFileSync("mkdir", ["-p", path.join(dir, ".git/refs/exps/ab/cdef")]);
    writeFileSync(path.join(dir, ".git", `${REF}.lock`), "");
    await expect(updateRef(dir, REF, git(dir, "rev-parse", "HEAD"))).rejects.toBeInstanceOf(RefLockedError);
  });

  it("lists and deletes packed refs too, and prunes emptied directories", async () => {
    const dir = repo();
    const head = git(dir, "rev-parse", "HEAD");
    git(dir, "update-ref", REF, head);
    git(dir, "update-ref", "refs/exps/ab/cdef/y", head);
    git(dir, "symbolic-ref", "refs/exps/exec/EXEC_BRANCH", "refs/heads/main");
    git(dir, "pack-refs", "--all");
    git(dir, "update-ref", "refs/exps/zz/loose/z", head);
    expect((await listRefsUnder(dir, "refs/exps/")).map((r) => [r.ref, r.oid ?? r.target])).toEqual([
      ["refs/exps/ab/cdef/x", head],
      ["refs/exps/ab/cdef/y", head],
      ["refs/exps/exec/EXEC_BRANCH", "refs/heads/main"],
      ["refs/exps/zz/loose/z", head],
    ]);
    await expect(deleteRef(dir, REF, "1".repeat(40))).rejects.toBeInstanceOf(RefChangedError);
    await deleteRef(dir, REF, head);
    await deleteRef(dir, "refs/exps/zz/loose/z");
    expect(git(dir, "for-each-ref", "--format=%(refname)", "refs/exps")).toBe(
      "refs/exps/ab/cdef/y\nrefs/exps/exec/EXEC_BRANCH",
    );
    expect(readFileSync(path.join(dir, ".git/packed-refs"), "utf8")).not.toContain(REF);
    expect(existsSync(path.join(dir, ".git/refs/exps/zz"))).toBe(false);
    expect(await readRefRaw(dir, REF)).toBeNull();
    expect(await resolveRef(dir, "HEAD")).toBe(head);
    git(dir, "fsck", "--no-dangling");
  });
});

describe("git dates", () => {
  it("reads git's raw, ISO and @epoch forms", () => {
    expect(gitDate("1700000000 +0100")).toBe("1700000000 +0100");
    expect(gitDate("@1700000000")).toBe("1700000000 +0000");
    expect(gitDate("2026-01-01T00:00:00Z")).toBe("1767225600 +0000");
    expect(gitDate("2026-01-01T02:00:00+02:00")).toBe("1767225600 +0200");
  });
});
