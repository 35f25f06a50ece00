// Sharing experiments between two clones, with the built CLI as a process: `exp push` sends the ref through a
// bare git remote and the data to a local dvx remote; the teammate's `exp pull` + `exp apply` sees both.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { expRefName } from "../../src/exp/refs.js";
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

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const dvx = (cwd: string, ...argv: string[]): Promise<Run> =>
  new Promise((res) => {
    execFile(process.execPath, [BIN, ...argv], { cwd, env: ENV }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      res({ code: typeof code === "number" ? code : -1, stdout, stderr });
    });
  });

async function ok(cwd: string, ...argv: string[]): Promise<string> {
  const r = await dvx(cwd, ...argv);
  expect(r.code, `dvx ${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "init.defaultBranch=main", ...args], {
    cwd,
    env: ENV as NodeJS.ProcessEnv,
    encoding: "utf8",
  }).trim();

const TRAIN = `import { readFileSync, writeFileSync } from "node:fs";
const lr = /lr: *([0-9.e+-]+)/.exec(readFileSync("params.yaml", "utf8"))[1];
writeFileSync("model.bin", "model lr=" + lr + "\\n");
writeFileSync("metrics.json", JSON.stringify({ acc: Number(lr) * 2 }) + "\\n");
`;

beforeAll(() => ensureBuilt(), 180_000);

describe("exp push / exp pull", () => {
  it("a teammate pulls an experiment through git and the dvx remote, and applies it with its data", async () => {
    const root = tmpDir("dvx-exp-share-");
    const bare = join(root, "origin.git");
    const store = join(root, "store");
    const a = join(root, "a");
    mkdirSync(a);
    mkdirSync(store);
    git(root, "init", "-q", "--bare", bare);
    git(a, "init", "-q");
    await ok(a, "init", "-q");
    await ok(a, "remote", "add", "-d", "store", store);
    writeFileSync(join(a, "params.yaml"), "train:\n  lr: 0.1\n");
    writeFileSync(join(a, "train.mjs"), TRAIN);
    writeFileSync(
      join(a, "dvc.yaml"),
      "stages:\n  train:\n    cmd: node train.mjs\n    deps: [train.mjs]\n    params: [train.lr]\n" +
        "    outs: [model.bin]\n    metrics:\n    - metrics.json:\n        cache: false\n",
    );
    await ok(a, "repro", "-q");
    git(a, "add", "-A");
    git(a, "commit", "-qm", "baseline");
    git(a, "remote", "add", "origin", bare);
    git(a, "push", "-q", "origin", "main");
    await ok(a, "push", "-q");
    const head = git(a, "rev-parse", "HEAD");

    const run = JSON.parse(await ok(a, "exp", "run", "-S", "train.lr=0.5", "-n", "shared", "--json")) as {
      commit: string;
    };
    const pushed = JSON.parse(await ok(a, "exp", "push", "origin", "shared", "--json")) as { data: { pushed: number } };
    expect(pushed.data.pushed).toBe(1); // model.bin of lr=0.5
    expect(git(bare, "for-each-ref", "--format=%(refname) %(objectname)", "refs/exps")).toBe(
      `${expRefName(head, "shared")} ${run.commit}`,
    );

    const b = join(root, "b");
    git(root, "clone", "-q", bare, b);
    expect(await ok(b, "exp", "list", "--all-commits")).toBe("");
    await ok(b, "exp", "pull", "origin", "shared");
    expect(git(b, "rev-parse", expRefName(head, "shared"))).toBe(run.commit);
    expect(await ok(b, "exp", "list", "--name-only")).toBe("shared\n");
    await ok(b, "exp", "apply", "shared");
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(join(b, "params.yaml"), "utf8")).toBe("train:\n  lr: 0.5\n");
    expect(readFileSync(join(b, "model.bin"), "utf8")).toBe("model lr=0.5\n");
    expect(git(b, "rev-parse", "HEAD")).toBe(head);

    // a diverged experiment of the same name is not overwritten on the remote without -f
    git(a, "checkout", "-q", "--", "params.yaml");
    const again = JSON.parse(await ok(a, "exp", "run", "-S", "train.lr=0.7", "-n", "shared", "-f", "--json")) as {
      commit: string;
    };
    const refused = await dvx(a, "exp", "push", "origin", "shared", "--json");
    expect(refused.code).toBe(7);
    expect((JSON.parse(refused.stderr) as { error: { code: string } }).error.code).toBe("GIT_REMOTE_FAILED");
    expect(git(bare, "rev-parse", expRefName(head, "shared"))).toBe(run.commit);
    await ok(a, "exp", "push", "-f", "origin", "shared");
    expect(git(bare, "rev-parse", expRefName(head, "shared"))).toBe(again.commit);
    // and not over the teammate's copy without -f either
    expect((await dvx(b, "exp", "pull", "origin", "shared")).code).toBe(7);
    await ok(b, "exp", "pull", "-f", "origin");
    expect(git(b, "rev-parse", expRefName(head, "shared"))).toBe(again.commit);
    expect(existsSync(join(b, ".git", `${expRefName(head, "shared")}.lock`))).toBe(false);
  });
});
