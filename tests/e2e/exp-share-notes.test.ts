// Run records travel with experiments: `exp push`/`exp pull` (built CLI, two clones of a bare remote) carry the
// git notes under refs/notes/dvx-runs, only for the experiments named, merging both sides' notes commit by commit:
// nobody's record is clobbered, the remote's notes only move forward, and no temporary ref is left behind.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build.js";
import { BIN, CLI_ENV } from "../helpers/pipeline.js";
import { tmpDir } from "../helpers/tmp-repo.js";

const ENV: Record<string, string | undefined> = {
  ...CLI_ENV,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@e",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@e",
};

const dvx = (cwd: string, ...argv: string[]): Promise<string> =>
  new Promise((res, rej) => {
    execFile(process.execPath, [BIN, ...argv], { cwd, env: ENV }, (err, stdout, stderr) =>
      err ? rej(new Error(`dvx ${argv.join(" ")}: ${stderr}`)) : res(stdout),
    );
  });

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "init.defaultBranch=main", ...args], {
    cwd,
    env: ENV as NodeJS.ProcessEnv,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();

interface Rec {
  id: string;
  name: string;
}
/** The records of the note on `commit` (one object, or a list after a merge), sorted by id. */
const noteOf = (cwd: string, commit: string): string[] => {
  const v = JSON.parse(git(cwd, "notes", "--ref", "dvx-runs", "show", commit)) as Rec | Rec[];
  return (Array.isArray(v) ? v : [v]).map((r) => r.id).sort();
};
const noted = (cwd: string): string[] =>
  git(cwd, "notes", "--ref", "dvx-runs", "list")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ")[1]!)
    .sort();

beforeAll(() => ensureBuilt(), 180_000);

describe("exp push / exp pull carry run records (git notes)", () => {
  it("both sides' notes are merged, never clobbered; only the named experiments' notes move", async () => {
    const root = tmpDir("dvx-exp-notes-");
    const bare = join(root, "origin.git");
    const a = join(root, "a");
    mkdirSync(a);
    git(root, "init", "-q", "--bare", bare);
    git(a, "init", "-q");
    await dvx(a, "init", "-q");
    writeFileSync(join(a, "params.yaml"), "train:\n  lr: 0.1\n");
    writeFileSync(
      join(a, "dvc.yaml"),
      "stages:\n  train:\n    cmd: cp params.yaml used.txt\n    params: [train.lr]\n    outs: [used.txt]\n",
    );
    await dvx(a, "repro", "-q");
    git(a, "add", "-A");
    git(a, "commit", "-qm", "baseline");
    git(a, "remote", "add", "origin", bare);
    git(a, "push", "-q", "origin", "main");
    const run = async (cwd: string, name: string, lr: string): Promise<{ commit: string; id: string }> => {
      const { commit } = JSON.parse(await dvx(cwd, "exp", "run", "-S", `train.lr=${lr}`, "-n", name, "--json")) as {
        commit: string;
      };
      git(cwd, "checkout", "-q", "--", "params.yaml");
      return { commit, id: noteOf(cwd, commit)[0]! };
    };
    const e1 = await run(a, "e1", "0.2");
    const e2 = await run(a, "e2", "0.3");

    // A pushes e1 only: the remote gets e1's record, not e2's
    const pushed = JSON.parse(await dvx(a, "exp", "push", "--no-cache", "--json", "origin", "e1")) as { notes: number };
    expect(pushed.notes).toBe(1);
    expect(noted(bare)).toEqual([e1.commit]);
    expect(noteOf(bare, e1.commit)).toEqual([e1.id]);
    const firstRemoteNotes = git(bare, "rev-parse", "refs/notes/dvx-runs");

    // B clones, runs its own experiment, pulls e1: both records are there
    const b = join(root, "b");
    git(root, "clone", "-q", bare, b);
    const e3 = await run(b, "e3", "0.5");
    await dvx(b, "exp", "pull", "--no-cache", "origin", "e1");
    expect(noted(b)).toEqual([e1.commit, e3.commit].sort());
    expect(noteOf(b, e1.commit)).toEqual([e1.id]);

    // B's own record of the same commit e1 (written by plain git, as another tool might): pushing e1 unites both
    const extra = { ...(JSON.parse(git(b, "notes", "--ref", "dvx-runs", "show", e1.commit)) as Rec), id: "zz-b-side" };
    git(b, "notes", "--ref", "dvx-runs", "add", "-f", "-m", JSON.stringify(extra), e1.commit);
    await dvx(b, "exp", "push", "--no-cache", "origin", "e1", "e3");
    expect(noted(bare)).toEqual([e1.commit, e3.commit].sort());
    expect(noteOf(bare, e1.commit)).toEqual([e1.id, "zz-b-side"]);
    expect(noteOf(b, e1.commit)).toEqual([e1.id, "zz-b-side"]); // and B's local note holds the union too

    // A pushes e2 without having e3's note: e3's note stays on the remote
    await dvx(a, "exp", "push", "--no-cache", "origin", "e2");
    expect(noted(bare)).toEqual([e1.commit, e2.commit, e3.commit].sort());
    expect(noteOf(bare, e3.commit)).toEqual([e3.id]);
    // the remote's notes only moved forward
    git(bare, "merge-base", "--is-ancestor", firstRemoteNotes, "refs/notes/dvx-runs");

    // A pulls: e3's record arrives, e1's note becomes the union; A's e2 record is kept
    await dvx(a, "exp", "pull", "--no-cache", "origin", "e1", "e3");
    expect(noted(a)).toEqual([e1.commit, e2.commit, e3.commit].sort());
    expect(noteOf(a, e1.commit)).toEqual([e1.id, "zz-b-side"]);
    const listed = JSON.parse(await dvx(a, "runs", "list", "--json", "--filter", "name == 'e3'")) as Array<{
      id: string;
      source: { commit: string };
    }>;
    expect(listed.map((x) => [x.id, x.source.commit])).toEqual([[e3.id, e3.commit]]);

    for (const dir of [a, b, bare]) {
      git(dir, "fsck", "--strict", "--no-dangling");
      expect(git(dir, "for-each-ref", "refs/dvx")).toBe(""); // no temporary ref left
    }
  });
});
