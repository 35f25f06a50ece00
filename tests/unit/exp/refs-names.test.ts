// Experiment refs (docs/formats.md §11.1) and names checked as git ref components — against the system git's own
// check-ref-format, so the rules cannot drift from git's.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ADJECTIVES, NOUNS } from "../../../src/exp/words.js";
import { checkExpName, randomExpName, refComponentProblem, refNameProblem } from "../../../src/exp/names.js";
import { expRefName, isAuxRef, parseExpRef } from "../../../src/exp/refs.js";

const BASE = "bbbfc7339a2be86fcfd2cbea466d7f375efc4186";

const gitAccepts = (ref: string): boolean => spawnSync("git", ["check-ref-format", ref]).status === 0;

describe("experiment refs", () => {
  it("lays a ref out as refs/exps/<sha[0:2]>/<sha[2:]>/<name> (the verified DVC example)", () => {
    expect(expRefName(BASE, "my-exp")).toBe("refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186/my-exp");
    expect(parseExpRef("refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186/my-exp")).toEqual({
      ref: "refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186/my-exp",
      baseline: BASE,
      name: "my-exp",
    });
  });

  it("skips DVC's auxiliary refs and every other odd shape", () => {
    const aux = [
      "refs/exps/stash",
      "refs/exps/celery/stash",
      "refs/exps/celery/failed",
      "refs/exps/apply/stash",
      "refs/exps/exec/EXEC_BRANCH",
      "refs/exps/exec/EXEC_BASELINE",
      "refs/exps/temp/abc",
    ];
    for (const r of aux) {
      expect(parseExpRef(r), r).toBeNull();
      expect(isAuxRef(r), r).toBe(true);
    }
    for (const r of [
      "refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc418/x", // 37 hex
      "refs/exps/BB/bfc7339a2be86fcfd2cbea466d7f375efc4186/x",
      "refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186",
      "refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186/a/b",
      "refs/heads/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186/x",
    ])
      expect(parseExpRef(r), r).toBeNull();
    expect(isAuxRef(expRefName(BASE, "x"))).toBe(false);
  });
});

describe("experiment names", () => {
  const names = [
    "my-exp", "lr_0.01", "a.b", "x", "exp-abc12", "ünï", // valid
    "", "a b", "a/b", ".hidden", "a..b", "end.", "x.lock", "a~1", "a^", "a:b", "a?", "a*", "a[0]", "back\\slash",
    "@", "a@{1}", "tab\tx", "del\x7f", "/lead", "trail/", "a//b",
  ]; // prettier-ignore

  it("accepts a name exactly when git accepts refs/exps/<baseline>/<name> and it has no '/'", () => {
    for (const n of names) {
      const ours = refComponentProblem(n) === null;
      const git = n !== "" && !n.includes("/") && gitAccepts(expRefName(BASE, n));
      expect(ours, `'${n}'`).toBe(git);
    }
  });

  it("checks branch names (slashes allowed) as git check-ref-format --branch does for plain names", () => {
    for (const n of ["feature/x", "a/b/c", "x", "a//b", "/x", "x/", "a/.b", "a/b.lock", "a b"])
      expect(refNameProblem(n) === null, n).toBe(gitAccepts(`refs/heads/${n}`));
  });

  it("throws INVALID_NAME (exit 2) for a bad name", () => {
    expect(() => checkExpName("a b")).toThrow(expect.objectContaining({ code: "INVALID_NAME", exitCode: 2 }));
  });

  it("random names are adjective-noun from ref-safe word lists and avoid taken names", () => {
    for (const w of [...ADJECTIVES, ...NOUNS]) expect(w).toMatch(/^[a-z]{2,7}$/);
    expect(new Set(ADJECTIVES).size).toBe(ADJECTIVES.length);
    expect(new Set(NOUNS).size).toBe(NOUNS.length);
    for (let i = 0; i < 50; i++) {
      const n = randomExpName(new Set());
      expect(n).toMatch(/^[a-z]+-[a-z]+$/);
      expect(refComponentProblem(n)).toBeNull();
    }
    const all = new Set(ADJECTIVES.flatMap((a) => NOUNS.map((n) => `${a}-${n}`)));
    expect(randomExpName(all, "abcdef0123")).toBe("exp-abcde");
    expect(randomExpName(new Set([...all, "exp-abcde"]), "abcdef0123")).toBe("exp-abcde-2");
  });
});
