// The composite action (action.yml) as the GitHub runner executes its "Run dvx" step: the step's env is evaluated
// from the inputs and the event like GitHub's expressions, and its `run` line (bash scripts/action/run.sh) is
// started as a separate bash process with the job's environment, against the GitHub stand-in. The install step
// (npm ci && npm run build) is not run: the tests use this checkout's build.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { ACTIONS_TOKEN, actionsEnv, runProcess, type ProcRun } from "./github-actions-env.js";
import type { GitHubStandin } from "./github-standin.js";

export const ROOT = resolve(__dirname, "../..");

export type Step = {
  name?: string;
  id?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
};
export type Action = {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
export const ACTION = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as Action;

/** GitHub expressions as action.yml uses them: `${{ a.b || c.d }}` over the inputs and github contexts. */
export function evaluate(template: string, ctx: Record<string, unknown>): string {
  return template.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, expr: string) => {
    for (const alt of expr.split("||").map((s) => s.trim())) {
      const v = alt.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], ctx);
      if (v !== undefined && v !== null && v !== "" && v !== false) return String(v);
    }
    return "";
  });
}

export interface ActionRun {
  r: ProcRun;
  /** The step's env as the runner evaluated it (DVX_INPUT_*, DVX_GITHUB_TOKEN). */
  stepEnv: Record<string, string>;
  /** What the step appended to $GITHUB_PATH and $GITHUB_OUTPUT, and the job summary. */
  path: string;
  output: string;
  summary: string;
}

export interface ActionStepOptions {
  gh: GitHubStandin;
  /** The job's workspace (GITHUB_WORKSPACE; the event, runner files and report go here too). */
  dir: string;
  inputs: Record<string, string>;
  /** The pull request's commits in the event (default: the stand-in's fixed, made-up shas). */
  pullRequest?: { base: string; head: string };
}

/** Runs action.yml's "Run dvx" step once, as the runner would for a pull_request event, with the Actions token. */
export async function runActionStep(o: ActionStepOptions): Promise<ActionRun> {
  const { gh, dir } = o;
  const env = actionsEnv(dir, gh, { token: ACTIONS_TOKEN });
  delete env.GITHUB_TOKEN; // Actions does not export the token; the action passes inputs.token itself
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH!, "utf8")) as {
    pull_request: { base: { sha: string }; head: { sha: string } };
  };
  if (o.pullRequest) {
    event.pull_request.base.sha = o.pullRequest.base;
    event.pull_request.head.sha = o.pullRequest.head;
    writeFileSync(env.GITHUB_EVENT_PATH!, JSON.stringify(event));
  }
  const allInputs = Object.fromEntries(
    Object.entries(ACTION.inputs).map(([k, v]) => [k, o.inputs[k] ?? v.default ?? ""]),
  );
  for (const [k, v] of Object.entries(allInputs)) allInputs[k] = evaluate(v, { github: { token: ACTIONS_TOKEN } });
  const step = ACTION.runs.steps.find((s) => s.id === "dvx")!;
  const ctx = { inputs: allInputs, github: { event, token: ACTIONS_TOKEN, action_path: ROOT } };
  const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, ctx)]));
  const runnerFiles = { GITHUB_PATH: join(dir, "path.txt"), GITHUB_OUTPUT: join(dir, "output.txt") };
  for (const f of Object.values(runnerFiles)) writeFileSync(f, "");
  const r = await runProcess("bash", ["-e", "-c", step.run!], {
    cwd: join(dir, evaluate(step["working-directory"] ?? ".", ctx)),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...env,
      ...runnerFiles,
      GITHUB_ACTION_PATH: ROOT,
      RUNNER_TEMP: dir,
      ...stepEnv,
    },
  });
  return {
    r,
    stepEnv,
    path: readFileSync(runnerFiles.GITHUB_PATH, "utf8"),
    output: readFileSync(runnerFiles.GITHUB_OUTPUT, "utf8"),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"),
  };
}
