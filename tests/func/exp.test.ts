// dvx exp on real git repositories (in-process CLI): the refs and commits DVC reads (docs/formats.md §11.1),
// checked with the system git; HEAD and the index untouched; errors with their codes and nothing half-written.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expRefName } from "../../src/exp/refs.js";
import { jsonError } from "../helpers/cli-assert.js";
import { runPython } from "../helpers/python.js";
import { runCli, type CliRun } from "../helpers/run-cli.js";
import { makeRepo, type TmpRepo } from "../helpers/tmp-repo.js";

const TRAIN = `import { readFileSync, writeFileSync } from "node:fs";
const lr = /lr: *([0-9.e+-]+)/.exec(readFileSync("params.yaml", "utf8"))[1];
writeFileSync("model.bin", "model lr=" + lr + "\\n");
writeFileSync("metrics.json", JSON.stringify({ acc: Number(lr) * 2 }) + "\\n");
`;
const FILES = {
  "params.yaml": "train:\n  lr: 0.1  # learning rate\n  epochs: 3\n",
  "train.mjs": TRAIN,
  "dvc.yaml":
    "stages:\n  train:\n    cmd: node train.mjs\n    deps:\n    - train.mjs\n    params:\n    - train.lr\n" +
    "    outs:\n    - model.bin\n    metrics:\n    - metrics.json:\n        cache: false\n",
};
const ENV = {
  GIT_AUTHOR_NAME: "Ada L",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_AUTHOR_DATE: "@1700000000 +0100",
  GIT_COMMITTER_NAME: "Ada L",
  GIT_COMMITTER_EMAIL: "ada@example.com",
  GIT_COMMITTER_DATE: "@1700000100 +0100",
};

interface RunJson {
  name: string;
  ref: string;
  commit: string;
  baseline: string;
  expHash: string;
}

const sha256 = (s: string | Buffer): string => createHash("sha256").update(s).digest("hex");

async function project(): Promise<{ r: TmpRepo; head: string; dvx: (...argv: string[]) => Promise<CliRun> }> {
  const r = await makeRepo({ files: FILES });
  r.git("config", "user.name", "t");
  r.git("config", "user.email", "t@e");
  const dvx = (...argv: string[]): Promise<CliRun> => runCli(r.dir, argv, ENV);
  const repro = await dvx("repro", "-q");
  expect(repro.code, repro.stderr).toBe(0);
  const head = r.commit("baseline");
  return { r, head, dvx };
}

function ok<T>(res: CliRun): T {
  expect(res.code, res.stderr).toBe(0);
  return res.json<T>();
}

const refs = (r: TmpRepo): string => r.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/exps").trim();

/** What must not change while experiments run: HEAD, the branch, the index. */
function gitState(r: TmpRepo): string {
  return [
    r.git("rev-parse", "HEAD"),
    r.git("symbolic-ref", "HEAD"),
    sha256(readFileSync(join(r.dir, ".git/index"))),
    r.git("diff", "--cached", "--name-only"),
  ].join("|");
}

describe("dvx exp run", () => {
  it("commits the experiment on refs/exps/<sha[0:2]>/<sha[2:]>/<name> with the baseline as parent", async () => {
    const { r, head, dvx } = await project();
    const before = gitState(r);
    const res = ok<RunJson>(await dvx("exp", "run", "-S", "train.lr=0.5", "-n", "lr-half", "--json"));
    expect(res).toMatchObject({ name: "lr-half", baseline: head, ref: expRefName(head, "lr-half") });
    expect(refs(r)).toBe(`refs/exps/${head.slice(0, 2)}/${head.slice(2)}/lr-half ${res.commit}`);
    // the commit as DVC writes it: one parent, the user's identity, "dvc: commit experiment <exp_hash>" exactly
    const raw = r.git("cat-file", "commit", res.commit);
    const tree = r.git("rev-parse", `${res.commit}^{tree}`).trim();
    expect(raw).toBe(
      `tree ${tree}\nparent ${head}\nauthor Ada L <ada@example.com> 1700000000 +0100\n` +
        `committer Ada L <ada@example.com> 1700000100 +0100\n\ndvc: commit experiment ${res.expHash}`,
    );
    // exp_hash by hand: sha256(json.dumps({"train": <lock entry>}, sort_keys=True)) from the committed dvc.lock
    const lock = r.git("show", `${res.commit}:dvc.lock`);
    const py = runPython(
      "import sys, json, yaml, hashlib\nd = yaml.safe_load(json.load(sys.stdin))['stages']\n" +
        "print(json.dumps(hashlib.sha256(json.dumps({'train': d['train']}, sort_keys=True).encode()).hexdigest()))",
      lock,
    );
    expect(res.expHash).toBe(py);
    // the tree: the baseline's files with the run's changes; cached outputs stay out of git
    expect(r.git("show", `${res.commit}:params.yaml`)).toBe("train:\n  lr: 0.5  # learning rate\n  epochs: 3\n");
    expect(JSON.parse(r.git("show", `${res.commit}:metrics.json`))).toEqual({ acc: 1 });
    expect(r.git("ls-tree", "-r", "--name-only", res.commit).split("\n").filter(Boolean).sort()).toEqual([
      ".dvc/.gitignore",
      ".dvc/config",
      ".dvcignore",
      ".gitignore",
      "dvc.lock",
      "dvc.yaml",
      "metrics.json",
      "params.yaml",
      "train.mjs",
    ]);
    r.git("fsck", "--strict", "--no-dangling");
    // HEAD, branch and index untouched; the experiment's changes stay in the workspace
    expect(gitState(r)).toBe(before);
    expect(r.git("status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([
      " M dvc.lock",
      " M metrics.json",
      " M params.yaml",
    ]);
    expect(r.read("model.bin")).toBe("model lr=0.5\n");
  });

  it("picks a random adjective-noun name; a run that changes nothing hashes {} and keeps the baseline's tree", async () => {
    const { r, head, dvx } = await project();
    const res = ok<RunJson>(await dvx("exp", "run", "--json"));
    expect(res.name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(res.expHash).toBe(sha256("{}"));
    expect(r.git("rev-parse", `${res.commit}^{tree}`)).toBe(r.git("rev-parse", `${head}^{tree}`));
    expect(r.git("log", "-1", "--format=%P", res.commit).trim()).toBe(head);
  });

  it("refuses a name that exists (exit 1, ref kept) unless -f, and an invalid name (exit 2)", async () => {
    const { r, dvx } = await project();
    const first = ok<RunJson>(await dvx("exp", "run", "-S", "train.lr=0.2", "-n", "x", "--json"));
    const again = await dvx("exp", "run", "-S", "train.lr=0.3", "-n", "x", "--json");
    expect([again.code, jsonError(again).code]).toEqual([1, "EXPERIMENT_EXISTS"]);
    expect(refs(r)).toContain(first.commit);
    expect(r.read("params.yaml")).toContain("lr: 0.2"); // refused before -S was applied
    const forced = ok<RunJson>(await dvx("exp", "run", "-S", "train.lr=0.3", "-n", "x", "-f", "--json"));
    expect(refs(r)).toBe(`${forced.ref} ${forced.commit}`);
    for (const bad of ["a b", "a..b", "x.lock", "a/b"]) {
      const res = await dvx("exp", "run", "-n", bad, "--json");
      expect([res.code, jsonError(res).code], bad).toEqual([2, "INVALID_NAME"]);
    }
    expect(refs(r).split("\n")).toHaveLength(1);
  });

  it("rejects a bad -S (unknown file, malformed value, key path into a scalar) before touching anything", async () => {
    const { r, dvx } = await project();
    const params = r.read("params.yaml");
    for (const [arg, why] of [
      ["nope.yaml:a=1", /no params file/],
      ["train.lr=[1,", /value/],
      ["train.lr.x=1", /not a mapping/],
      ["train.momentum=0.9", /no 'train.momentum'/],
      ["+train.lr=1", /already exists/],
      ["train.lr=1,2", /sweep/],
    ] as const) {
      const res = await dvx("exp", "run", "-S", "train.epochs=9", "-S", arg, "--json");
      const err = jsonError(res);
      expect([res.code, err.code], arg).toEqual([2, "PARAM_OVERRIDE"]);
      expect(err.message, arg).toMatch(why);
    }
    expect(r.read("params.yaml")).toBe(params);
    expect(refs(r)).toBe("");
  });

  it("records nothing when a stage fails", async () => {
    const { r, dvx } = await project();
    writeFileSync(join(r.dir, "train.mjs"), "process.exit(3)\n");
    const res = await dvx("exp", "run", "-n", "broken", "--json");
    expect(jsonError(res).code).toBe("EXPERIMENT_FAILED");
    expect(res.code).toBe(1);
    expect(refs(r)).toBe("");
  });
});

describe("dvx exp apply / save / list / branch / rename / remove / clean", () => {
  it("a git remote URL's credentials never appear in output (exp pull/push to an unreachable remote)", async () => {
    const { dvx } = await project();
    ok(await dvx("exp", "run", "-S", "train.lr=0.5", "-n", "e1", "--json"));
    for (const cmd of ["pull", "push"]) {
      const res = await dvx("exp", cmd, "https://user:s3cretTOKEN@127.0.0.1:9/x.git", "--no-cache", "--json");
      expect(res.code, res.stderr).toBe(7);
      expect(jsonError(res).code).toBe("GIT_REMOTE_FAILED");
      expect(`${res.stdout}${res.stderr}`).not.toContain("s3cretTOKEN");
    }
  });

  it("apply refuses an experiment whose tree leaves the work tree or enters .git, writing nothing", async () => {
    const { r, head, dvx } = await project();
    const git = (input: string, ...args: string[]): string =>
      execFileSync("git", args, { cwd: r.dir, input, encoding: "utf8" }).trim();
    const blob = git("#!/bin/sh\necho pwned\n", "hash-object", "-w", "--stdin");
    const leaf = git(`100644 blob ${blob}\tpwned.txt\n100755 blob ${blob}\tpost-checkout\n`, "mktree");
    const base = git("", "ls-tree", head).trim();
    for (const [name, bad] of [
      ["up", ".."],
      ["hook", ".git"],
    ] as const) {
      const tree = git(`${base}\n040000 tree ${leaf}\t${bad}\n`, "mktree");
      const commit = git("", "commit-tree", tree, "-p", head, "-m", "dvc: commit experiment " + "0".repeat(64));
      r.git("update-ref", expRefName(head, name), commit);
      const res = await dvx("exp", "apply", name, "--json");
      expect([res.code, jsonError(res).code]).toEqual([5, "UNSAFE_PATH"]);
    }
    expect(existsSync(join(r.dir, "..", "pwned.txt"))).toBe(false);
    expect(existsSync(join(r.dir, ".git", "pwned.txt"))).toBe(false);
    expect(r.git("status", "--porcelain")).toBe("");
  });

  it("apply restores an experiment's files and data; refuses over unsaved changes unless -f", async () => {
    const { r, dvx } = await project();
    const before = gitState(r);
    ok(await dvx("exp", "run", "-S", "train.lr=0.5", "-n", "a", "--json"));
    ok(await dvx("exp", "run", "-S", "train.lr=0.25", "-n", "b", "--json"));
    expect(r.read("model.bin")).toBe("model lr=0.25\n");
    ok(await dvx("exp", "apply", "a", "--json"));
    expect([r.read("params.yaml"), r.read("model.bin"), r.read("metrics.json")]).toEqual([
      "train:\n  lr: 0.5  # learning rate\n  epochs: 3\n",
      "model lr=0.5\n",
      '{"acc":1}\n',
    ]);
    expect(gitState(r)).toBe(before);
    // a hand edit saved nowhere is not overwritten
    writeFileSync(join(r.dir, "params.yaml"), "train:\n  lr: 7\n  epochs: 3\n");
    const refused = await dvx("exp", "apply", "b", "--json");
    expect([refused.code, jsonError(refused).code]).toEqual([1, "UNSAVED_CHANGES"]);
    expect(r.read("params.yaml")).toBe("train:\n  lr: 7\n  epochs: 3\n");
    expect(r.read("model.bin")).toBe("model lr=0.5\n");
    // nor is data that is not in the cache
    writeFileSync(join(r.dir, "params.yaml"), "train:\n  lr: 0.5  # learning rate\n  epochs: 3\n");
    r.git("rm", "-q", "--cached", "--ignore-unmatch", "model.bin");
    writeFileSync(join(r.dir, "model.bin"), "hand-made\n");
    const data = await dvx("exp", "apply", "b", "--json");
    expect([data.code, jsonError(data).code]).toEqual([1, "UNCOMMITTED_CHANGES"]);
    expect(r.read("params.yaml")).toContain("lr: 0.5");
    ok(await dvx("exp", "apply", "b", "-f", "--json"));
    expect([r.read("params.yaml"), r.read("model.bin")]).toEqual([
      "train:\n  lr: 0.25  # learning rate\n  epochs: 3\n",
      "model lr=0.25\n",
    ]);
  });

  it("applies an experiment commit made the way DVC makes them (git plumbing), skipping DVC's auxiliary refs", async () => {
    const { r, head, dvx } = await project();
    // DVC's shape: parent = baseline, tree = baseline + git add -u after repro, message with the exp hash
    writeFileSync(join(r.dir, "params.yaml"), "train:\n  lr: 0.75  # learning rate\n  epochs: 3\n");
    ok(await dvx("repro", "--json"));
    const env = { ...process.env, GIT_INDEX_FILE: join(r.dir, ".git/dvc-tmp-index") };
    const plumb = (...args: string[]): string =>
      execFileSync("git", ["-c", "user.name=D", "-c", "user.email=d@v", ...args], {
        cwd: r.dir,
        env,
        encoding: "utf8",
      }).trim();
    plumb("read-tree", head);
    plumb("add", "-u");
    const tree = plumb("write-tree");
    const commit = plumb("commit-tree", tree, "-p", head, "-m", `dvc: commit experiment ${"e".repeat(64)}`);
    r.git("update-ref", expRefName(head, "made-by-dvc"), commit);
    r.git("update-ref", "refs/exps/exec/EXEC_BASELINE", head);
    r.git("symbolic-ref", "refs/exps/exec/EXEC_BRANCH", expRefName(head, "made-by-dvc"));
    r.git("update-ref", "refs/exps/celery/stash", commit);
    // back to the baseline's workspace
    r.git("checkout", "-q", "--", ".");
    expect((await dvx("checkout", "-f")).code).toBe(0);
    expect(r.read("model.bin")).toBe("model lr=0.1\n");
    const list = ok<Array<{ experiments: Array<{ name: string }> }>>(await dvx("exp", "list", "--json"));
    expect(list.flatMap((b) => b.experiments.map((e) => e.name))).toEqual(["made-by-dvc"]);
    ok(await dvx("exp", "apply", "made-by-dvc", "--json"));
    expect([r.read("params.yaml"), r.read("model.bin")]).toEqual([
      "train:\n  lr: 0.75  # learning rate\n  epochs: 3\n",
      "model lr=0.75\n",
    ]);
    // exp clean drops the run leftovers, never the queue's stash
    ok(await dvx("exp", "clean", "--json"));
    expect(r.git("for-each-ref", "--format=%(refname)", "refs/exps").trim().split("\n").sort()).toEqual(
      ["refs/exps/celery/stash", expRefName(head, "made-by-dvc")].sort(),
    );
  });

  it("save -I refuses a path outside the repository, before anything is written", async () => {
    const { r, dvx } = await project();
    writeFileSync(join(r.dir, "..", "outside.txt"), "not yours\n");
    const res = await dvx("exp", "save", "-n", "sv", "-I", "../outside.txt", "--json");
    expect([res.code, jsonError(res).code]).toEqual([1, "BAD_TARGET"]);
    expect(r.git("for-each-ref", "refs/exps")).toBe("");
    rmSync(join(r.dir, "..", "outside.txt"));
  });

  it("save, list, branch, rename and remove work on the same refs", async () => {
    const { r, head, dvx } = await project();
    writeFileSync(join(r.dir, "params.yaml"), "train:\n  lr: 0.9  # learning rate\n  epochs: 3\n");
    const saved = ok<RunJson>(await dvx("exp", "save", "-n", "saved", "--json"));
    expect(r.git("show", `${saved.commit}:params.yaml`)).toContain("lr: 0.9");
    expect(r.git("log", "-1", "--format=%P%n%B", saved.commit).trim()).toBe(
      `${head}\ndvc: commit experiment ${saved.expHash}`,
    );
    ok(await dvx("exp", "run", "-n", "other", "--json"));
    const other = r.git("rev-parse", expRefName(head, "other")).trim();
    const lines = (await dvx("exp", "list")).stdout.split("\n");
    expect(lines[0]).toBe("main:");
    expect(lines.slice(1).sort()).toEqual(
      ["", `\t${other.slice(0, 7)} [other]`, `\t${saved.commit.slice(0, 7)} [saved]`].sort(),
    );
    expect((await dvx("exp", "list", "--name-only")).stdout.split("\n").filter(Boolean).sort()).toEqual([
      "other",
      "saved",
    ]);
    const branch = ok<{ branch: string; commit: string }>(await dvx("exp", "branch", "saved", "--json"));
    expect(r.git("rev-parse", "refs/heads/saved-branch").trim()).toBe(saved.commit);
    expect(branch.branch).toBe("saved-branch");
    const again = await dvx("exp", "branch", "saved", "--json");
    expect(jsonError(again).code).toBe("BRANCH_EXISTS");
    ok(await dvx("exp", "rename", "saved", "kept", "--json"));
    expect(r.git("rev-parse", expRefName(head, "kept")).trim()).toBe(saved.commit);
    const taken = await dvx("exp", "rename", "kept", "other", "--json");
    expect([taken.code, jsonError(taken).code]).toEqual([1, "EXPERIMENT_EXISTS"]);
    const missing = await dvx("exp", "remove", "kept", "nope", "--json");
    expect([missing.code, jsonError(missing).code]).toEqual([1, "EXPERIMENT_NOT_FOUND"]);
    expect(refs(r).split("\n")).toHaveLength(2); // nothing removed
    ok(await dvx("exp", "remove", "kept", "--json"));
    expect(refs(r)).not.toContain("kept");
    ok(await dvx("exp", "remove", "-A", "--json"));
    expect(refs(r)).toBe("");
    r.git("fsck", "--strict", "--no-dangling");
  });
});
