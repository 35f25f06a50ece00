import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRevision, parseRevision } from "../../../src/git/revparse.js";
import { buildSampleRepo, git, makeTmp, removeTmp, revParse, type SampleRepo } from "../../helpers/tmp-repo.js";

let tmp: string;
let repo: SampleRepo;

beforeAll(() => {
  tmp = makeTmp();
  repo = buildSampleRepo(path.join(tmp, "repo"));
});
afterAll(() => removeTmp(tmp));

const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "resolved",
    (e: unknown) => String((e as { code?: unknown }).code),
  );

describe("resolveRevision agrees with git rev-parse", () => {
  const revs = [
    "HEAD",
    "@",
    "main",
    "feature",
    "after-gc",
    "refs/heads/main",
    "heads/feature",
    "v-light",
    "v1.0",
    "v1.0-nested",
    "tags/v1.0",
    "refs/tags/v1.0-nested",
    "dup",
    "origin/main",
    "origin/feature",
    "origin",
    "remotes/origin/main",
    "refs/remotes/origin/main",
    "HEAD~",
    "HEAD~0",
    "HEAD~1",
    "HEAD~2",
    "HEAD~3",
    "HEAD^",
    "HEAD^0",
    "HEAD^^",
    "HEAD~1^2",
    "HEAD~1^2~1",
    "main~1^2",
    "heads/dup~1^2",
    "main~1^1",
    "main^1^2",
    "v1.0~1",
    "v1.0-nested^",
    "v1.0^{}",
    "v1.0^{commit}",
    "HEAD~^2~",
    "after-gc~1",
    "@~2",
    "origin/feature~1",
  ];
  it.each(revs)("%s", async (rev) => {
    const expected = revParse(repo.dir, rev);
    expect(expected).toMatch(/^[0-9a-f]{40}$/);
    expect(await resolveRevision(repo.dir, rev)).toBe(expected);
  });

  it("resolves full and short hashes of packed and loose commits", async () => {
    for (const oid of Object.values(repo.commits)) {
      for (const rev of [oid, oid.toUpperCase(), oid.slice(0, 12), oid.slice(0, 7), `${oid.slice(0, 8)}~0`]) {
        expect(await resolveRevision(repo.dir, rev)).toBe(revParse(repo.dir, rev));
      }
    }
  });

  it("walks merge parents: ^2 is the merged branch, ~N follows first parents", async () => {
    const { merge, c3, f2, c2, f1 } = repo.commits;
    expect(await resolveRevision(repo.dir, `${merge}^1`)).toBe(c3);
    expect(await resolveRevision(repo.dir, `${merge}^2`)).toBe(f2);
    expect(await resolveRevision(repo.dir, `${merge}^2~1`)).toBe(f1);
    expect(await resolveRevision(repo.dir, `${merge}~2`)).toBe(c2);
    expect(await resolveRevision(repo.dir, "HEAD~1^2")).toBe(f2);
  });

  it("peels annotated tags (also a tag of a tag) to their commit", async () => {
    expect(await resolveRevision(repo.dir, "v1.0")).toBe(repo.commits.c3);
    expect(await resolveRevision(repo.dir, "v1.0-nested")).toBe(repo.commits.c3);
    const tagObject = git(repo.dir, "rev-parse", "v1.0");
    expect(tagObject).not.toBe(repo.commits.c3);
    expect(await resolveRevision(repo.dir, tagObject)).toBe(repo.commits.c3);
    expect(await resolveRevision(repo.dir, tagObject.slice(0, 9))).toBe(repo.commits.c3);
  });

  it("prefers a tag over a branch of the same name, like git", async () => {
    expect(await resolveRevision(repo.dir, "dup")).toBe(repo.commits.c1);
    expect(await resolveRevision(repo.dir, "heads/dup")).toBe(repo.commits.c4);
  });

  it("prefers a ref over a short hash of the same spelling, like git", async () => {
    const short = repo.commits.c1.slice(0, 7);
    git(repo.dir, "branch", short, repo.commits.c4);
    try {
      expect(revParse(repo.dir, short)).toBe(repo.commits.c4);
      expect(await resolveRevision(repo.dir, short)).toBe(repo.commits.c4);
      expect(await resolveRevision(repo.dir, repo.commits.c1.slice(0, 8))).toBe(repo.commits.c1);
    } finally {
      git(repo.dir, "branch", "-D", short);
    }
  });

  it("follows origin/HEAD for the bare remote name", async () => {
    expect(await resolveRevision(repo.dir, "origin")).toBe(repo.commits.c4);
  });

  it("runs on refs and objects packed by git gc (plus one loose commit)", () => {
    const objectFile = (oid: string): string => path.join(repo.dir, ".git", "objects", oid.slice(0, 2), oid.slice(2));
    expect(existsSync(objectFile(repo.commits.c1))).toBe(false);
    expect(existsSync(objectFile(repo.commits.loose))).toBe(true);
    const packed = readFileSync(path.join(repo.dir, ".git", "packed-refs"), "utf8");
    expect(packed).toContain("refs/tags/v1.0");
    expect(packed).toContain("refs/remotes/origin/main");
    expect(existsSync(path.join(repo.dir, ".git", "refs", "tags", "v1.0"))).toBe(false);
  });
});

describe("resolveRevision failures", () => {
  const unknown = [
    "nope",
    "HEAD~100",
    "main^3",
    "main~2^2",
    "HEAD^2",
    "c1~1x",
    "deadbeef",
    "0000000000000000000000000000000000000000",
    "amb-a",
    "HEAD~1~~~~~~~~~~~~~~~~~~~",
    "config",
    "index",
    "logs",
    "objects",
    "COMMIT_EDITMSG",
  ];
  it.each(unknown)("%s is unknown, as for git", async (rev) => {
    expect(revParse(repo.dir, rev)).toBeNull();
    expect(await codeOf(resolveRevision(repo.dir, rev))).toBe("REVISION_NOT_FOUND");
  });

  it("refuses an ambiguous short hash", async () => {
    const prefix = repo.ambiguousPrefix;
    expect(revParse(repo.dir, prefix)).toBeNull();
    const err = await resolveRevision(repo.dir, prefix).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("AMBIGUOUS_REVISION");
    expect((err as { details?: { matches?: string[] } }).details?.matches).toHaveLength(2);
  });

  it("needs at least 4 hex digits for a short hash", async () => {
    const oid = repo.commits.c4;
    expect(await codeOf(resolveRevision(repo.dir, oid.slice(0, 3)))).toBe("REVISION_NOT_FOUND");
    expect(await resolveRevision(repo.dir, oid.slice(0, 4))).toBe(revParse(repo.dir, oid.slice(0, 4)));
  });

  it.each([
    "HEAD@{1}",
    "main@{upstream}",
    "HEAD:a.txt",
    ":/c1",
    "main..feature",
    "v1.0^{tree}",
    "v1.0^{tree}x",
    "~1",
    "",
  ])("%s is rejected with a typed error", async (rev) => {
    expect(["UNSUPPORTED_REVISION", "REVISION_NOT_FOUND"]).toContain(await codeOf(resolveRevision(repo.dir, rev)));
  });

  it("throws NOT_A_REPO outside a repository", async () => {
    expect(await codeOf(resolveRevision(tmp, "HEAD"))).toBe("NOT_A_REPO");
  });
});

describe("parseRevision", () => {
  it("splits the base from ~ and ^ steps", () => {
    expect(parseRevision("main~2^2")).toEqual({
      base: "main",
      steps: [
        { kind: "ancestor", n: 2 },
        { kind: "parent", n: 2 },
      ],
    });
    expect(parseRevision("HEAD~^")).toEqual({
      base: "HEAD",
      steps: [
        { kind: "ancestor", n: 1 },
        { kind: "parent", n: 1 },
      ],
    });
    expect(parseRevision("v1^{}~3").steps).toEqual([{ kind: "ancestor", n: 3 }]);
  });
});
