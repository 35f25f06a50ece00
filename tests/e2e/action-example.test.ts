// The action end to end on the example project, as a pull request's job runs it: `dvx init --example` committed
// (the base), then two pushes to the pull request. Each time the job checks out the new commit and runs the
// action's entry point (scripts/action/run.sh, a separate bash process with GitHub Actions' environment, against
// the GitHub stand-in) with `repro: true`: dvx repro, dvx ci report against the event's base commit, dvx ci
// comment. The first run creates the comment, the second updates the same comment with the new figures.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runActionStep } from "../helpers/action-runner.js";
import { ensureBuilt } from "../helpers/build.js";
import { setParam } from "../helpers/example-template.js";
import { exampleRepo } from "../helpers/example-repo.js";
import { ACTIONS_TOKEN } from "../helpers/github-actions-env.js";
import { ACTIONS_BOT, startGitHubStandin, type GitHubStandin } from "../helpers/github-standin.js";
import { commitAll, git } from "../helpers/tmp-repo.js";

const standins: GitHubStandin[] = [];
afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.close()));
});
beforeAll(() => ensureBuilt(), 300_000);

/** A metric's row of the report's table: [base, head, change]. */
const metricRow = (body: string, key: string): string[] | undefined =>
  new RegExp(`^\\| metrics\\.json \\| ${key.replace(".", "\\.")} +\\|(.*)\\|$`, "m")
    .exec(body)?.[1]
    ?.split("|")
    .map((c) => c.trim());

describe("the action on the example project (dvx init --example), two pushes to a pull request", () => {
  it("creates the report comment on the first push and updates the same comment on the second", async () => {
    const gh = await startGitHubStandin();
    standins.push(gh);
    gh.accounts.set(ACTIONS_TOKEN, ACTIONS_BOT);
    const ex = await exampleRepo();
    const inputs = { "working-directory": "example", repro: "true", name: "example" };

    // push 1: a larger learning rate (params only: the job reproduces)
    setParam(ex.dir, "train.lr", "0.3");
    const head1 = commitAll(ex.dir, "lr 0.3");
    const first = await runActionStep({ gh, dir: ex.root, inputs, pullRequest: { base: ex.base, head: head1 } });
    expect(first.r.code, first.r.stderr).toBe(0);
    expect(first.stepEnv.DVX_INPUT_BASE).toBe(ex.base); // from the event's pull_request.base.sha
    expect(first.r.stdout).toContain("dvx: created the 'example' report on pull request #7");
    const [created] = gh.commentsOn({ kind: "issue", number: 7 });
    const body1 = created!.body;
    expect(body1).toMatch(/^<!-- dvx-report: example -->\n## dvx report: example\n/);
    expect(body1).toContain(`- **Base:** ${ex.base}`);
    expect(body1).toContain(`- **Head:** ${head1}`);
    expect(body1).toMatch(/\| params\.yaml \| train\.lr +\| 0\.1 +\| 0\.3 +\|/);
    expect(metricRow(body1, "accuracy")?.[2]).toMatch(/▲/);
    expect(body1).toMatch(/#### plots\/loss\.csv\n\n```mermaid\n/);
    // the job's repro ran train and evaluate; download and split were up to date
    expect(body1).toMatch(/\| `train` \| ran \|/);
    expect(body1).toMatch(/\| `evaluate` \| ran \|/);
    expect(body1).not.toMatch(/\| `split` \| ran \|/);
    expect(first.output).toContain(`comment-id=${created!.id}\n`);
    git(ex.dir, "checkout", "-q", "--", "."); // the next checkout: the job's changes are not kept

    // push 2: a different split of the data (the job re-runs split, train, evaluate; the data rows change)
    setParam(ex.dir, "split.seed", "7");
    const head2 = commitAll(ex.dir, "split seed 7");
    const second = await runActionStep({ gh, dir: ex.root, inputs, pullRequest: { base: ex.base, head: head2 } });
    expect(second.r.code, second.r.stderr).toBe(0);
    expect(second.r.stdout).toContain("dvx: updated the 'example' report on pull request #7");
    const comments = gh.commentsOn({ kind: "issue", number: 7 });
    expect(comments).toHaveLength(1);
    const updated = comments[0]!;
    expect(updated.id).toBe(created!.id);
    expect(updated.body).not.toBe(body1);
    expect(updated.body).toContain(`- **Head:** ${head2}`);
    expect(updated.body).toMatch(/\| params\.yaml \| split\.seed +\| 20250101 +\| 7 +\|/);
    expect(updated.body).toMatch(/\| `data\/train\.csv` \| modified \| \+\d+ −\d+ rows \|/);
    expect(updated.body).toMatch(/<details><summary><code>data\/train\.csv<\/code>/);
    expect(updated.body).toMatch(/\| `split` \| ran \|/);
    expect(gh.requests.some((q) => q.method === "PATCH")).toBe(true);
    expect(first.r.stdout + first.r.stderr + second.r.stdout + second.r.stderr).not.toContain(ACTIONS_TOKEN);
  }, 120_000);
});
