#!/usr/bin/env node
// The main job: the example pipeline end to end (issue 10). In a temporary directory: create the example
// project, reproduce it, commit, push the data to a remote, change a param, reproduce again (only train and
// evaluate run), compare metrics and params, draw the plots, then clone the project afresh, pull and check
// that everything is in place; last, two learning rates as experiments run in parallel from the queue. Every
// step prints its command and what dvx printed; the demo stops at the first unexpected result.
//
// Usage: npm run demo                  (builds first)
//        KEEP=1 npm run demo           keeps the temporary directory for a look around
//        DVX_DEMO_S3_URL=s3://bucket/prefix DVX_DEMO_S3_ENDPOINT=http://127.0.0.1:7480 npm run demo
//                                      pushes to an S3 remote instead (credentials from AWS_* variables)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const DVX = resolve(import.meta.dirname, "../bin/dvx.js");
const base = mkdtempSync(join(tmpdir(), "dvx-demo-"));
const project = join(base, "penguins");
const clone = join(base, "clone");
const env = {
  ...process.env,
  NO_COLOR: "1",
  GIT_AUTHOR_NAME: "dvx demo",
  GIT_AUTHOR_EMAIL: "demo@example.com",
  GIT_COMMITTER_NAME: "dvx demo",
  GIT_COMMITTER_EMAIL: "demo@example.com",
};

let step = 0;
const title = (t) => console.log(`\n\x1b[1m${++step}. ${t}\x1b[0m`);
function run(cwd, cmd, args, { expect = 0, quiet = false } = {}) {
  const shown = cmd === process.execPath ? ["dvx", ...args.slice(1)] : [cmd, ...args];
  console.log(`$ ${shown.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
  const out = `${r.stdout}${r.stderr}`.trimEnd();
  if (out && !quiet) console.log(out.replace(/^/gm, "  "));
  if (r.status !== expect) fail(`expected exit ${expect}, got ${r.status}${quiet ? `\n${out}` : ""}`);
  return r;
}
const dvx = (cwd, ...args) => run(cwd, process.execPath, [DVX, ...args]);
const git = (cwd, ...args) => execFileSync("git", args, { cwd, env, encoding: "utf8" });
function fail(why) {
  console.error(`\ndemo failed: ${why}\n(the project is kept in ${base})`);
  process.exit(1);
}
function check(cond, what) {
  if (!cond) fail(what);
  console.log(`  ✓ ${what}`);
}
const ran = (r) =>
  [...`${r.stdout}${r.stderr}`.matchAll(/^Running stage '([^']+)':/gm)]
    .map((m) => m[1])
    .sort()
    .join(",");

title("Create the example project: a git repository with dvx and a four-stage pipeline");
dvx(base, "init", "--example", project);
console.log(readFileSync(join(project, "dvc.yaml"), "utf8").replace(/^/gm, "  | "));

title("Reproduce the pipeline: download → split → train → evaluate");
const first = dvx(project, "repro");
check(ran(first) === "download,evaluate,split,train", "all four stages ran");
check(existsSync(join(project, "dvc.lock")), "dvc.lock records every stage");
const metrics = JSON.parse(readFileSync(join(project, "metrics.json"), "utf8"));
check(metrics.accuracy > 0.9, `test accuracy ${metrics.accuracy} (> 0.9)`);

title("Commit the project; the data itself goes to the remote, not to git");
git(project, "add", "-A");
git(project, "commit", "-qm", "penguins: first model");
console.log(git(project, "log", "--oneline").replace(/^/gm, "  "));
const s3 = process.env.DVX_DEMO_S3_URL;
if (s3) {
  dvx(project, "remote", "add", "-d", "storage", s3);
  if (process.env.DVX_DEMO_S3_ENDPOINT)
    dvx(project, "remote", "modify", "storage", "endpointurl", process.env.DVX_DEMO_S3_ENDPOINT);
} else {
  dvx(project, "remote", "add", "-d", "storage", join(base, "remote"));
}
git(project, "commit", "-qam", "remote storage");
dvx(project, "push");

title("Change a parameter: a larger learning rate");
const params = join(project, "params.yaml");
writeFileSync(params, readFileSync(params, "utf8").replace(/^(\s*lr:\s*)[\d.e-]+/m, "$10.3"));
dvx(project, "status");
dvx(project, "repro", "--dry");

title("Reproduce again: only the stages that use the parameter (and what follows them) run");
const second = dvx(project, "repro");
check(ran(second) === "evaluate,train", "only train and evaluate ran; download and split were unchanged");

title("Compare with the last commit: metrics, params and plots");
dvx(project, "metrics", "diff", "--md");
dvx(project, "params", "diff");
const plots = dvx(project, "plots", "diff", "-o", join(base, "plots"));
check(existsSync(join(base, "plots", "index.html")), `plots written to ${join(base, "plots", "index.html")}`);
void plots;
git(project, "commit", "-qam", "penguins: lr 0.3");
dvx(project, "push");

title("A teammate clones the project and pulls the data");
git(base, "clone", "-q", project, clone);
check(!existsSync(join(clone, "data", "raw")), "the clone has no data yet (only the pointers in dvc.lock)");
dvx(clone, "pull");
const st = dvx(clone, "status");
check(/up to date/.test(st.stdout), "dvx status is clean in the clone");
check(
  readFileSync(join(clone, "model.json"), "utf8") === readFileSync(join(project, "model.json"), "utf8"),
  "the clone's model is the one trained above",
);

title("Try two more learning rates as experiments, queued and run in parallel");
dvx(project, "exp", "run", "--queue", "-S", "train.lr=0.05,0.5");
dvx(project, "queue", "start", "-j", "2");
dvx(project, "exp", "show", "--md", "--drop", ".*", "--keep", "Experiment|train.lr|accuracy");
const shown = run(project, process.execPath, [DVX, "exp", "show", "--json"], { quiet: true });
const baseline = JSON.parse(shown.stdout.trim() || "[]").find((row) => row.rev !== "workspace");
const tried = (baseline?.experiments ?? []).map((e) => e.revs[0]?.data?.params?.["params.yaml"]?.data?.train?.lr);
check(tried.includes(0.05) && tried.includes(0.5), `both experiments are on the baseline (lr ${tried.join(", ")})`);
check(git(project, "status", "--porcelain") === "", "the workspace and git history are untouched");
dvx(project, "runs", "list", "-n", "3");

console.log(`\ndemo finished: ${step} steps passed`);
if (process.env.KEEP === "1") console.log(`the demo directory is kept: ${base}`);
else rmSync(base, { recursive: true, force: true });
