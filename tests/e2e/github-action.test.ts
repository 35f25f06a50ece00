// The composite action (action.yml) as the runner executes it (tests/helpers/action-runner.ts: the "Run dvx" step's
// env evaluated from the inputs and the event, its `run` line started as a bash process with the job's environment),
// against the GitHub stand-in. The install step (npm ci && npm run build) is checked, not run.
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { ACTION, ROOT, runActionStep, type Step } from "../helpers/action-runner.js";
import { ensureBuilt } from "../helpers/build.js";
import { ACTIONS_TOKEN, BASE_SHA, runProcess } from "../helpers/github-actions-env.js";
import { ACTIONS_BOT, startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.js";
import { commitAll, git, tmpDir, writeFiles } from "../helpers/tmp-repo.js";

const standins: GitHubStandin[] = [];
afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.close()));
});
beforeAll(() => ensureBuilt(), 300_000);

async function runAction(
  inputs: Record<string, string>,
  files: Record<string, string> = {},
  setup?: (dir: string) => Promise<void>,
) {
  const gh = await startGitHubStandin();
  standins.push(gh);
  gh.accounts.set(ACTIONS_TOKEN, ACTIONS_BOT);
  const dir = tmpDir("dvx-action-");
  await setup?.(dir);
  for (const [p, text] of Object.entries(files)) writeFileSync(join(dir, p), text);
  return { ...(await runActionStep({ gh, dir, inputs })), gh, dir };
}

describe("action.yml", () => {
  it("is a composite action with the documented inputs that builds and runs this checkout's CLI", () => {
    expect(ACTION.runs.using).toBe("composite");
    for (const k of ["base", "targets", "name", "token", "pull", "repro"]) expect(ACTION.inputs[k], k).toBeDefined();
    expect(ACTION.inputs.token!.default).toBe("${{ github.token }}");
    const install = ACTION.runs.steps[0]!;
    expect(install["working-directory"]).toBe("${{ github.action_path }}");
    expect(install.run).toMatch(/npm ci[^\n]*\n\s*npm run build/);
    // the entry script calls the same CLI: `dvx ci report`, then `dvx ci comment`
    const script = readFileSync(join(ROOT, "scripts/action/run.sh"), "utf8");
    expect(script).toContain('node "$action_path/bin/dvx.js"');
    expect(script).toMatch(/args=\(ci report --name "\$name" -o "\$report"\)/);
    expect(script).toContain("dvx ci comment --report");
  });

  it("posts the report as the bot with inputs.token, sets the outputs and puts dvx on PATH", async () => {
    const first = await runAction(
      { "report-file": "report.md", name: "train" },
      { "report.md": "## Metrics\nacc 0.8\n" },
    );
    expect(first.r.code, first.r.stderr).toBe(0);
    expect(first.stepEnv.DVX_INPUT_BASE).toBe(BASE_SHA); // default base: the pull request's base commit
    const [comment] = first.gh.commentsOn({ kind: "issue", number: 7 });
    expect(comment!.body).toBe("<!-- dvx-report: train -->\n## Metrics\nacc 0.8\n");
    expect(comment!.user.login).toBe("github-actions[bot]");
    expect(first.gh.requests.every((q) => q.headers.authorization === `Bearer ${ACTIONS_TOKEN}`)).toBe(true);
    expect(first.output).toContain(`comment-id=${comment!.id}\n`);
    expect(first.output).toContain(
      `comment-url=https://github.example/octo-org/demo/pull/7#issuecomment-${comment!.id}\n`,
    );
    expect(first.output).toContain(`report-file=report.md\n`);
    expect(first.r.stdout).toContain("dvx: created the 'train' report on pull request #7");
    expect(first.r.stdout + first.r.stderr).not.toContain(ACTIONS_TOKEN);
    // later steps get `dvx` on PATH
    const bin = first.path.trim();
    expect(bin).toBe(join(ROOT, "scripts/action/bin"));
    const v = await runProcess(join(bin, "dvx"), ["--version"], { cwd: first.dir, env: { PATH: process.env.PATH } });
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("with comment: false only sets dvx up: nothing is posted", async () => {
    const { r, gh, path } = await runAction({ comment: "false" });
    expect(r.code, r.stderr).toBe(0);
    expect(gh.requests).toEqual([]);
    expect(path.trim()).toBe(join(ROOT, "scripts/action/bin"));
  });
});

/** `node bin/dvx.js …` in `dir` (setting up a project before the action runs). */
async function dvx(dir: string, ...args: string[]): Promise<void> {
  const r = await runProcess(process.execPath, [join(ROOT, "bin/dvx.js"), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  expect(r.code, r.stderr).toBe(0);
}

describe("action.yml with dvx ci report", () => {
  it("builds the report of the change when no report-file is given, and posts it", async () => {
    const { r, gh } = await runAction({ base: "HEAD~1", name: "train" }, {}, async (dir) => {
      git(dir, "init", "-q");
      await dvx(dir, "init", "-q");
      writeFiles(dir, { "dvc.yaml": "metrics:\n  - metrics.json\n", "metrics.json": '{"acc": 0.8}\n' });
      commitAll(dir, "base");
      writeFiles(dir, { "metrics.json": '{"acc": 0.9}\n', "params.yaml": "lr: 0.3\n" });
      commitAll(dir, "head");
    });
    expect(r.code, r.stderr).toBe(0);
    const [comment] = gh.commentsOn({ kind: "issue", number: 7 });
    expect(comment!.body).toMatch(/^<!-- dvx-report: train -->\n## dvx report: train\n/);
    expect(comment!.body).toMatch(/\| metrics\.json \| acc +\| 0\.8 +\| 0\.9 +\| 0\.1 ▲ +\|/);
    expect(comment!.body).toMatch(/\| params\.yaml +\| lr +\| - +\| 0\.3 +\|/);
  });
});

describe("this repository's workflow (.github/workflows/example-report.yml)", () => {
  type Workflow = {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Array<Step & { uses?: string; with?: Record<string, unknown> }> }>;
  };
  const wf = parse(readFileSync(join(ROOT, ".github/workflows/example-report.yml"), "utf8")) as Workflow;
  const steps = wf.jobs["example-report"]!.steps;
  const post = steps.find((s) => s.uses === "./")!;

  it("every workflow parses (strict YAML), each step runs or uses something, and uses: ./ passes declared inputs", () => {
    const dir = join(ROOT, ".github/workflows");
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain("example-report.yml");
    let local = 0;
    for (const f of files) {
      const doc = parseDocument(readFileSync(join(dir, f), "utf8"), { uniqueKeys: true });
      expect(doc.errors, f).toEqual([]);
      const w = doc.toJS() as Workflow;
      expect(w.on, f).toBeDefined();
      for (const [id, job] of Object.entries(w.jobs))
        for (const st of job.steps) {
          expect(typeof st.run === "string" || typeof st.uses === "string", `${f}: ${id}`).toBe(true);
          if (st.uses !== "./") continue;
          local++;
          for (const k of Object.keys(st.with ?? {})) expect(ACTION.inputs[k], `${f}: input ${k}`).toBeDefined();
        }
    }
    expect(local).toBeGreaterThan(0);
  });

  it("runs on pull requests with the permissions the action needs and posts with this checkout's action", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(steps[0]).toMatchObject({ uses: "actions/checkout@v4", with: { "fetch-depth": 0 } });
    const build = steps.findIndex((s) => s.run === "npm ci && npm run build");
    const example = steps.findIndex((s) => s.run?.includes("scripts/ci/example-pr.sh") === true);
    expect(build).toBeGreaterThan(0);
    expect(example).toBeGreaterThan(build);
    expect(steps.indexOf(post)).toBeGreaterThan(example);
    expect(steps[example]!.env).toEqual({ BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
    expect(post.with).toMatchObject({ "working-directory": "example", base: "HEAD" });
    for (const k of Object.keys(post.with!)) expect(ACTION.inputs[k], k).toBeDefined();
    // nothing is committed or pushed to the repository
    for (const st of steps) expect(st.run ?? "").not.toMatch(/\bgit\b/);
  });

  it("runs the example at the base and at the head; the action posts their difference", async () => {
    const inputs = Object.fromEntries(Object.entries(post.with!).map(([k, v]) => [k, String(v)]));
    const { r, gh } = await runAction(inputs, {}, async (dir) => {
      git(dir, "init", "-q");
      cpSync(join(ROOT, "templates/example"), join(dir, "templates/example"), { recursive: true });
      const base = commitAll(dir, "base");
      const params = join(dir, "templates/example/params.yaml");
      writeFileSync(params, readFileSync(params, "utf8").replace(/^( {2}lr:) 0\.1\b/m, "$1 0.3"));
      const run = await runProcess("bash", [join(ROOT, "scripts/ci/example-pr.sh"), base, "example"], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(git(dir, "status", "--porcelain", "--", "templates")).toBe("M templates/example/params.yaml");
    });
    expect(r.code, r.stderr).toBe(0);
    const [comment] = gh.commentsOn({ kind: "issue", number: 7 });
    const body = comment!.body;
    expect(body).toMatch(/^<!-- dvx-report: example -->\n/);
    expect(body).toMatch(/\| params\.yaml \| train\.lr +\| 0\.1 +\| 0\.3 +\|/);
    expect(body).toMatch(/\| metrics\.json \| loss +\|/);
    expect(body).toMatch(/\| `train` \| ran \|/);
    expect(body).toMatch(/\| `evaluate` \| ran \|/);
    expect(body).toContain("| `model.json` | modified |");
  }, 120_000);
});
