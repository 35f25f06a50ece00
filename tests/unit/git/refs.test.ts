import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commit,
  currentBranch,
  findGitRoot,
  gitAdd,
  headOid,
  initRepo,
  listRefs,
  readFileAtRev,
} from "../../../src/git/git.js";
import { resolveRevision } from "../../../src/git/revparse.js";
import {
  buildSampleRepo,
  commitAll,
  git,
  gitTry,
  makeTmp,
  removeTmp,
  revParse,
  writeFiles,
  type SampleRepo,
  codeOf,
} from "../../helpers/tmp-repo.js";
import { GitError } from "../../../src/git/git-errors.js";

let tmp: string;
let repo: SampleRepo;

beforeAll(() => {
  tmp = makeTmp();
  repo = buildSampleRepo(path.join(tmp, "repo"));
});
afterAll(() => removeTmp(tmp));

describe("listRefs", () => {
  it("lists local branches and tags peeled to commits, like git for-each-ref", async () => {
    const branches = git(repo.dir, "for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads")
      .split("\n")
      .map((line) => {
        const [name = "", oid = ""] = line.split(" ");
        return { name, oid };
      });
    const tags = git(repo.dir, "tag", "-l")
      .split("\n")
      .map((name) => ({ name, oid: revParse(repo.dir, `refs/tags/${name}`) }))
      .filter((t): t is { name: string; oid: string } => t.oid !== null);
    const refs = await listRefs(repo.dir);
    expect(refs.branches).toEqual(branches);
    expect(refs.tags).toEqual(tags);
    expect(refs.tags.map((t) => t.name)).toEqual(["dup", "v-light", "v1.0", "v1.0-nested"]);
    expect(refs.tags.find((t) => t.name === "v1.0-nested")?.oid).toBe(repo.commits.c3);
    expect(refs.branches.map((b) => b.name)).toEqual(["after-gc", "dup", "feature", "main"]);
  });
});

describe("HEAD", () => {
  it("reports the current branch and HEAD commit, and null when detached", async () => {
    expect(await currentBranch(repo.dir)).toBe("main");
    expect(await headOid(repo.dir)).toBe(repo.commits.c4);
    const clone = path.join(tmp, "detached");
    git(tmp, "clone", "-q", repo.dir, clone);
    git(clone, "checkout", "-q", "--detach", "HEAD~1");
    expect(await currentBranch(clone)).toBeNull();
    expect(await headOid(clone)).toBe(repo.commits.merge);
  });

  it("gives null for HEAD in a repository without commits", async () => {
    const empty = path.join(tmp, "empty");
    git(tmp, "init", "-q", empty);
    expect(await headOid(empty)).toBeNull();
    expect(await currentBranch(empty)).toBe("main");
    expect(await listRefs(empty)).toEqual({ branches: [], tags: [] });
    expect(await codeOf(resolveRevision(empty, "HEAD"))).toBe("REVISION_NOT_FOUND");
  });

  it("throws NOT_A_REPO for a directory without .git", async () => {
    const plain = path.join(tmp, "plain");
    mkdirSync(plain);
    expect(await codeOf(headOid(plain))).toBe("NOT_A_REPO");
    expect(await codeOf(listRefs(plain))).toBe("NOT_A_REPO");
  });
});

describe("findGitRoot", () => {
  it("walks up from a nested directory to the work tree root", async () => {
    const nested = path.join(repo.dir, "data", "deep");
    expect(await findGitRoot(nested)).toBe(repo.dir);
    expect(await findGitRoot(repo.dir)).toBe(repo.dir);
    expect(await findGitRoot(path.join(nested, "not", "created"))).toBe(repo.dir);
  });

  it("returns null where git finds no repository", async () => {
    const outside = path.join(tmp, "outside");
    mkdirSync(outside);
    const gitSays = gitTry(outside, "rev-parse", "--show-toplevel");
    expect(await findGitRoot(outside)).toBe(gitSays.status === 0 ? gitSays.stdout : null);
  });

  it("accepts a gitfile (.git file pointing at a separate git dir) and reads through it", async () => {
    const work = path.join(tmp, "separate");
    git(tmp, "clone", "-q", "--separate-git-dir", path.join(tmp, "separate.git"), repo.dir, work);
    mkdirSync(path.join(work, "sub"));
    expect(await findGitRoot(path.join(work, "sub"))).toBe(work);
    expect(await headOid(work)).toBe(repo.commits.c4);
    expect(await resolveRevision(work, "HEAD~2")).toBe(revParse(work, "HEAD~2"));
  });
});

describe("linked worktrees", () => {
  it("are found, but refused with UNSUPPORTED_REPOSITORY rather than read wrongly", async () => {
    const main = path.join(tmp, "wt-main");
    const wt = path.join(tmp, "worktree");
    git(tmp, "clone", "-q", repo.dir, main);
    git(main, "worktree", "add", "-q", "-b", "wt-branch", wt, "HEAD~1");
    expect(await findGitRoot(wt)).toBe(wt);
    expect(await codeOf(headOid(wt))).toBe("UNSUPPORTED_REPOSITORY");
    expect(await codeOf(resolveRevision(wt, "HEAD"))).toBe("UNSUPPORTED_REPOSITORY");
  });
});

describe("initRepo and commit", () => {
  it("creates a repository on main and records commits git can read", async () => {
    const dir = path.join(tmp, "fresh");
    mkdirSync(dir);
    await initRepo(dir);
    expect(git(dir, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
    writeFileSync(path.join(dir, "f.txt"), "hello\n");
    await gitAdd(dir, ["f.txt"]);
    const author = { name: "Ann", email: "ann@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };
    const first = await commit(dir, "first\n", author);
    expect(first).toBe(git(dir, "rev-parse", "HEAD"));
    expect(git(dir, "log", "-1", "--format=%an <%ae> %at %s")).toBe("Ann <ann@example.com> 1700000000 first");
    expect(git(dir, "show", "HEAD:f.txt")).toBe("hello");

    writeFileSync(path.join(dir, "f.txt"), "again\n");
    await gitAdd(dir, ["f.txt"]);
    const second = await commit(dir, "second\n");
    expect(await resolveRevision(dir, "HEAD~1")).toBe(first);
    expect(await headOid(dir)).toBe(second);
    expect(git(dir, "log", "-1", "--format=%an")).toBe("dvx");
    expect(gitTry(dir, "fsck", "--strict").status).toBe(0);
  });

  it("takes the author from the repository's git config when none is given", async () => {
    const dir = path.join(tmp, "configured");
    mkdirSync(dir);
    await initRepo(dir, { defaultBranch: "trunk" });
    expect(await currentBranch(dir)).toBe("trunk");
    git(dir, "config", "user.name", "Cfg User");
    git(dir, "config", "user.email", "cfg@example.com");
    writeFileSync(path.join(dir, "x"), "x");
    await gitAdd(dir, ["x"]);
    await commit(dir, "from config");
    expect(git(dir, "log", "-1", "--format=%an <%ae>")).toBe("Cfg User <cfg@example.com>");
  });
});

describe("error translation", () => {
  it("turns a corrupt object into GIT_FAILED with the isomorphic-git error as cause", async () => {
    const dir = path.join(tmp, "corrupt");
    git(tmp, "init", "-q", dir);
    writeFiles(dir, { "a.txt": "a\n" });
    const head = commitAll(dir, "only");
    const objectFile = path.join(dir, ".git", "objects", head.slice(0, 2), head.slice(2));
    chmodSync(objectFile, 0o644);
    writeFileSync(objectFile, "not zlib data");
    const err = await resolveRevision(dir, "HEAD").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).code).toBe("GIT_FAILED");
    expect((err as GitError).exitCode).toBe(1);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(await codeOf(readFileAtRev(dir, head, "a.txt"))).toBe("GIT_FAILED");
  });
});
