#!/usr/bin/env node
// Experiment benchmarks (issue 12). Prints figures and a summary table per case; it is not a test. Cases:
//   run:  `exp run` of a no-op pipeline against `dvx --version` (target ≤ 3x), with a no-op `repro` for context
//         (exp run = repro + snapshot + commit + ref)
//   save: `exp save` of the same kind of workspace (snapshot + commit + ref, no stage runs), against --version
//   show: `exp show` with 500 experiments on one baseline, each with 20 params and 10 metrics (target ≤ 1 s), and
//         with 20 experiments (target ≤ 3x `dvx --version`, timed in the same run)
// Usage: node bench/exp.mjs [run] [save] [show]   (default: all; env: DVX_BENCH_MICRO_RUNS, DVX_BENCH_SCALE scales
// the 500, KEEP=1 keeps the repos). See bench/README.md.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DVX,
  MICRO_RUNS,
  SCALE,
  WORK_DIR,
  checkDistUnchanged,
  checkDvx,
  cleanup,
  fmtSec,
  freshRepo,
  gitCommitAll,
  log,
  measureAlternating,
  median,
  mkdirp,
  note,
  printHeader,
  printSummary,
  ratioStr,
  runTool,
  sh,
  toolSh,
  writeResults,
} from "./common.mjs";

async function med(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push((await fn(i)).wall);
  return median(xs);
}

const vsVersionRow = (workload, t, version, factor) => ({
  workload,
  dvx: fmtSec(t),
  ref: `--version ${fmtSec(version)}`,
  ratio: ratioStr(t, version),
  target: factor ? `≤ ${factor}x --version` : "-",
  pass: factor ? t / version <= factor : undefined,
});

// ---------------------------------------------------------------- cases "run" and "save": one experiment made

/** A fresh repo with one stage (`echo done > model.txt`, one param), reproduced and committed. */
function noopRepo(name) {
  const dir = freshRepo(DVX, name);
  writeFileSync(join(dir, "params.yaml"), "train:\n  lr: 0.1\n");
  writeFileSync(
    join(dir, "dvc.yaml"),
    "stages:\n  train:\n    cmd: echo done > model.txt\n    params:\n    - train.lr\n    outs:\n    - model.txt\n",
  );
  toolSh(DVX, ["repro", "-q"], { cwd: dir });
  gitCommitAll(dir, "pipeline");
  return dir;
}

async function runCase() {
  const dir = noopRepo("exp-noop");
  await runTool(DVX, ["exp", "run", "-q", "-n", "warm"], { cwd: dir }); // first run: stat cache, page cache
  const version = await med(MICRO_RUNS, () => runTool(DVX, ["--version"], { cwd: dir }));
  const repro = await med(MICRO_RUNS, () => runTool(DVX, ["repro", "-q"], { cwd: dir }));
  const exp = await med(MICRO_RUNS, (i) => runTool(DVX, ["exp", "run", "-q", "-n", `noop-${i}`], { cwd: dir }));
  const summary = [
    vsVersionRow("exp run, no-op pipeline", exp, version, 3),
    vsVersionRow("repro, same pipeline (context)", repro, version),
  ];
  return { summary, figures: { version, repro, expRun: exp } };
}

async function saveCase() {
  const dir = noopRepo("exp-save");
  writeFileSync(join(dir, "params.yaml"), "train:\n  lr: 0.2\n"); // a change to save
  await runTool(DVX, ["exp", "save", "-n", "warm"], { cwd: dir });
  const version = await med(MICRO_RUNS, () => runTool(DVX, ["--version"], { cwd: dir }));
  const save = await med(MICRO_RUNS, (i) => runTool(DVX, ["exp", "save", "-n", `save-${i}`], { cwd: dir }));
  return { summary: [vsVersionRow("exp save, one changed param", save, version)], figures: { version, save } };
}

// ---------------------------------------------------------------- case "show": exp show over many experiments

const MANY = Math.max(2, Math.round(500 * SCALE));
const FEW = 20;
const PARAMS = 20; // per experiment: 4 groups of 5
const METRICS = 10;

const dvcYaml = () =>
  "stages:\n  train:\n    cmd: python train.py\n    deps:\n      - data.csv\n      - train.py\n    params:\n" +
  "      - train\n      - model\n    outs:\n      - model.pkl\n    metrics:\n      - metrics.json:\n          cache: false\n";

/** 20 params in 4 groups; experiment i changes a few of them. */
function paramsYaml(i) {
  let y = "";
  for (const group of ["train", "model", "data", "eval"]) {
    y += `${group}:\n`;
    for (let k = 0; k < PARAMS / 4; k++) {
      const v = k === 0 ? (0.001 * (1 + (i % 97))).toFixed(4) : k === 1 ? String(10 + (i % 7)) : `${group}-${k}`;
      y += `  p${k}: ${v}\n`;
    }
  }
  return y;
}

function metricsJson(i) {
  const m = {};
  for (let k = 0; k < METRICS; k++) m[`m${k}`] = Math.round(((i * 7919 + k * 104729) % 100000) / 10) / 10000 + k;
  return JSON.stringify({ eval: m }) + "\n";
}

const md5ish = (s) => {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return (h.toString(16).padStart(8, "0") + "0123456789abcdef0123456789abcdef").slice(0, 32);
};

function dvcLock(i) {
  // the tracked groups (train, model) as dvc.lock records them: nested under the params file
  const groups = paramsYaml(i).split(/^(?=\w)/m);
  const params = groups.filter((g) => /^(train|model):/.test(g)).join("");
  return (
    "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n" +
    `    - path: data.csv\n      hash: md5\n      md5: ${md5ish("data")}\n      size: 1024\n` +
    `    - path: train.py\n      hash: md5\n      md5: ${md5ish("train")}\n      size: 64\n` +
    "    params:\n      params.yaml:\n" +
    params.replace(/^/gm, "        ").replace(/\s+$/, "") +
    `\n    outs:\n    - path: model.pkl\n      hash: md5\n      md5: ${md5ish(`model${i}`)}\n      size: ${1000 + i}\n` +
    `    - path: metrics.json\n      hash: md5\n      md5: ${md5ish(`metrics${i}`)}\n      size: 200\n`
  );
}

function stream(parts) {
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}

function blob(parts, path, text) {
  const data = Buffer.from(text);
  parts.push(`M 100644 inline ${path}\ndata ${data.length}\n`, data, "\n");
}

function commit(parts, ref, time, msg, from) {
  parts.push(`commit ${ref}\ncommitter bench <bench@example.invalid> ${time} +0000\ndata ${msg.length}\n${msg}\n`);
  if (from) parts.push(`from ${from}\n`);
}

/** A baseline on main and `n` experiments on it, made with git fast-import in DVC's shape. */
function buildRepo(n) {
  const dir = join(WORK_DIR, `exps-${n}`);
  mkdirp(dir);
  sh(["git", "init", "-q", "-b", "main"], { cwd: dir });
  const base = [];
  commit(base, "refs/heads/main", 1_700_000_000, "baseline");
  blob(base, ".dvc/config", "");
  blob(base, ".dvc/.gitignore", "/config.local\n/tmp\n/cache\n");
  blob(base, ".dvcignore", "");
  blob(base, ".gitignore", "/model.pkl\n");
  blob(base, "dvc.yaml", dvcYaml());
  blob(base, "params.yaml", paramsYaml(0));
  blob(base, "metrics.json", metricsJson(0));
  blob(base, "dvc.lock", dvcLock(0));
  blob(base, "data.csv", "a,b\n1,2\n");
  blob(base, "train.py", "print('train')\n");
  base.push("done\n");
  sh(["git", "fast-import", "--quiet", "--done"], { cwd: dir, input: stream(base) });
  const sha = sh(["git", "rev-parse", "main"], { cwd: dir }).stdout.trim();
  const exps = [];
  for (let i = 1; i <= n; i++) {
    const msg = `dvc: commit experiment ${md5ish(`exp${i}`)}${md5ish(`x${i}`)}`;
    commit(exps, `refs/exps/${sha.slice(0, 2)}/${sha.slice(2)}/exp-${i}`, 1_700_000_000 + 60 * i, msg, sha);
    blob(exps, "params.yaml", paramsYaml(i));
    blob(exps, "metrics.json", metricsJson(i));
    blob(exps, "dvc.lock", dvcLock(i));
  }
  exps.push("done\n");
  sh(["git", "fast-import", "--quiet", "--done"], { cwd: dir, input: stream(exps) });
  sh(["git", "checkout", "-q", "-f", "main"], { cwd: dir });
  return dir;
}

async function showCase() {
  const many = buildRepo(MANY);
  const few = buildRepo(FEW);
  note(`built ${MANY} and ${FEW} experiments (${PARAMS} params, ${METRICS} metrics each) with git fast-import`);
  const workloads = {
    version: [few, "--version"],
    few: [few, "exp", "show"],
    fewMd: [few, "exp", "show", "--md"],
    many: [many, "exp", "show"],
    manyMd: [many, "exp", "show", "--md"],
    manyJson: [many, "exp", "show", "--json"],
    manyCsv: [many, "exp", "show", "--csv"],
    manySorted: [many, "exp", "show", "--md", "--sort-by", "eval.m3", "--only-changed"],
  };
  const run = ([cwd, ...args]) => runTool(DVX, args, { cwd });
  for (const w of Object.values(workloads)) await run(w); // untimed: warm the page cache
  const rows = (await run(workloads.manyMd)).out.trim().split("\n").length - 2;
  note(`exp show --md prints ${rows} rows for ${MANY} experiments`);
  const { wall, cpu, node } = await measureAlternating(workloads, run, MICRO_RUNS);
  const v = median(wall.version);
  log(`\n  node -e 0: ${fmtSec(median(node))}; dvx --version: ${fmtSec(v)} (medians of ${MICRO_RUNS} runs)`);
  for (const k of Object.keys(workloads))
    log(
      `  ${k.padEnd(12)} wall ${fmtSec(median(wall[k])).padStart(7)}  cpu (user+sys) ${fmtSec(median(cpu[k])).padStart(7)}`,
    );
  const vsVersion = (label, k, factor) => ({
    workload: label,
    dvx: fmtSec(median(wall[k])),
    ref: `--version ${fmtSec(v)}`,
    ratio: ratioStr(median(wall[k]), v),
    target: factor ? `≤ ${factor}x` : "-",
    pass: factor ? median(wall[k]) / v <= factor : undefined,
  });
  const absolute = (label, k, limit) => ({
    workload: label,
    dvx: fmtSec(median(wall[k])),
    ref: "-",
    ratio: "-",
    target: limit ? `≤ ${fmtSec(limit)}` : "-",
    pass: limit ? median(wall[k]) <= limit : undefined,
  });
  const summary = [
    vsVersion(`exp show, ${FEW} experiments`, "few", 3),
    vsVersion(`exp show --md, ${FEW} experiments`, "fewMd", 3),
    absolute(`exp show, ${MANY} experiments`, "many", 1),
    absolute(`exp show --md, ${MANY} experiments`, "manyMd", 1),
    absolute(`exp show --json, ${MANY} experiments`, "manyJson", 1),
    absolute(`exp show --csv, ${MANY} experiments`, "manyCsv"),
    absolute(`exp show --md --sort-by --only-changed, ${MANY}`, "manySorted"),
  ];
  return { summary, wall, cpu, node };
}

// ---------------------------------------------------------------- main

const CASES = { run: runCase, save: saveCase, show: showCase };
const TITLES = { run: "exp run", save: "exp save", show: "exp show" };

async function main() {
  const wanted = process.argv.slice(2).filter((a) => a in CASES);
  const version = checkDvx();
  printHeader("bench/exp.mjs", [
    `dvx: ${version}`,
    `cases: ${(wanted.length ? wanted : Object.keys(CASES)).join(", ")}`,
  ]);
  mkdirp(WORK_DIR);
  const results = {};
  for (const [name, fn] of Object.entries(CASES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const r = await fn();
    results[name] = r;
    checkDistUnchanged();
    printSummary(`${TITLES[name]} (medians of ${MICRO_RUNS} runs)`, r.summary, {
      withPeer: false,
      withReported: false,
    });
  }
  writeResults("exp", { runs: MICRO_RUNS, many: MANY, few: FEW, results });
}

try {
  await main();
} catch (e) {
  console.error(`\nbench/exp.mjs failed: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
