#!/usr/bin/env node
// Benchmark of the metrics/params issue: `metrics diff HEAD~1 HEAD`, `metrics show` and `params diff HEAD~1 HEAD`
// in a repository with 50 metrics files and 10k commits of history, each against `dvx --version` timed in the same
// run (target: metrics diff ≤ 2x --version; reading two trees must not depend on the length of the history).
// Prints figures and a summary table; it is not a test.
// Usage: node bench/metrics.mjs      (env: DVX_BENCH_SCALE scales the commit count, DVX_BENCH_MICRO_RUNS, KEEP)

import { join } from "node:path";
import {
  MICRO_RUNS,
  SCALE,
  WORK_DIR,
  checkDistUnchanged,
  checkDvx,
  cleanup,
  fmtSec,
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
  DVX,
  writeResults,
} from "./common.mjs";

const COMMITS = Math.max(2, Math.round(10_000 * SCALE));
const SHORT = Math.min(100, COMMITS); // the same repository with a short history: reading two trees must not care
const FILES = 50;
const STAGES = 10;

const metricsPath = (i) => `eval/s${String(i % STAGES).padStart(2, "0")}/m${String(i).padStart(2, "0")}.json`;
const metricsText = (i, commit) =>
  JSON.stringify({
    acc: 0.5 + ((commit * 7 + i) % 1000) / 2000,
    loss: { train: 1 / (commit + 2), val: 1 / (commit + 3) },
    epochs: 10 + (commit % 5),
    model: `m${i}`,
  }) + "\n";
const paramsText = (commit) =>
  `train:\n  lr: ${(0.001 * (1 + (commit % 7))).toFixed(3)}\n  epochs: 10\n  layers: [64, 32]\nseed: ${commit % 3}\n`;

function dvcYaml() {
  let y = "stages:\n";
  for (let s = 0; s < STAGES; s++) {
    y += `  eval${s}:\n    cmd: ./eval.sh ${s}\n    params:\n      - train.lr\n      - seed\n    metrics:\n`;
    for (let i = s; i < FILES; i += STAGES) y += `      - ${metricsPath(i)}:\n          cache: false\n`;
  }
  return y;
}

/**
 * A git fast-import stream: commit 0 adds dvc.yaml, params.yaml, .dvc/config and the 50 metrics files; commit c
 * (0 < c < last) rewrites metrics file c % 50 (and params.yaml every 100 commits); the last commit rewrites every
 * metrics file and params.yaml, so `metrics diff HEAD~1 HEAD` has a full table to print.
 */
function fastImportStream(commits) {
  const parts = [];
  const blob = (path, text) => {
    const data = Buffer.from(text);
    parts.push(`M 100644 inline ${path}\ndata ${data.length}\n`, data, "\n");
  };
  for (let c = 0; c < commits; c++) {
    const msg = `commit ${c}`;
    parts.push(
      `commit refs/heads/main\nmark :${c + 1}\ncommitter bench <bench@example.invalid> ${1_700_000_000 + c * 60} +0000\n` +
        `data ${msg.length}\n${msg}\n`,
    );
    if (c > 0) parts.push(`from :${c}\n`);
    const last = c === commits - 1;
    if (c === 0) {
      blob("dvc.yaml", dvcYaml());
      blob(".dvc/config", "");
      blob(".dvc/.gitignore", "/config.local\n/tmp\n/cache\n");
      blob(".dvcignore", "");
    }
    if (c === 0 || last || c % 100 === 0) blob("params.yaml", paramsText(c));
    if (c === 0 || last) for (let i = 0; i < FILES; i++) blob(metricsPath(i), metricsText(i, c));
    else blob(metricsPath(c % FILES), metricsText(c % FILES, c));
  }
  parts.push("done\n");
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}

function buildRepo(commits) {
  const dir = join(WORK_DIR, `history-${commits}`);
  mkdirp(dir);
  const t0 = Date.now();
  sh(["git", "init", "-q", "-b", "main"], { cwd: dir });
  sh(["git", "fast-import", "--quiet", "--done"], { cwd: dir, input: fastImportStream(commits) });
  sh(["git", "checkout", "-q", "-f", "main"], { cwd: dir });
  // packed like a repository after `git gc`: one pack, deltas, objects of HEAD at the front
  sh(["git", "gc", "-q"], { cwd: dir });
  toolSh(DVX, ["status"], { cwd: dir }); // sanity: dvx opens it
  const objects = sh(["git", "count-objects", "-v"], { cwd: dir }).stdout.replace(/\n/g, ", ");
  note(`built ${commits} commits, ${FILES} metrics files in ${((Date.now() - t0) / 1000).toFixed(1)} s (${objects})`);
  return dir;
}

async function main() {
  const version = checkDvx();
  printHeader("bench/metrics.mjs", [
    `dvx: ${version}`,
    `repository: ${COMMITS} commits, ${FILES} metrics files in ${STAGES} stages, params.yaml; packed with git gc`,
  ]);
  mkdirp(WORK_DIR);
  const repo = buildRepo(COMMITS);
  const short = buildRepo(SHORT);
  const workloads = {
    version: [repo, "--version"],
    metricsDiff: [repo, "metrics", "diff", "HEAD~1", "HEAD"],
    metricsDiffMd: [repo, "metrics", "diff", "HEAD~1", "HEAD", "--md"],
    metricsDiffShort: [short, "metrics", "diff", "HEAD~1", "HEAD"],
    metricsShow: [repo, "metrics", "show"],
    paramsDiff: [repo, "params", "diff", "HEAD~1", "HEAD"],
  };
  const run = ([cwd, ...args]) => runTool(DVX, args, { cwd });
  // one untimed run each: warm the page cache
  for (const w of Object.values(workloads)) await run(w);
  const rows = (await run(workloads.metricsDiff)).out.trim().split("\n").length - 1;
  note(`metrics diff HEAD~1 HEAD prints ${rows} rows`);
  const { wall, cpu, node } = await measureAlternating(workloads, run, MICRO_RUNS);
  const v = median(wall.version);
  const vc = median(cpu.version);
  log(
    `\n  node -e 0: ${fmtSec(median(node))}; dvx --version: ${fmtSec(v)} (medians of ${MICRO_RUNS} alternating runs)`,
  );
  for (const k of Object.keys(workloads))
    log(
      `  ${k.padEnd(18)} wall ${fmtSec(median(wall[k])).padStart(7)}  cpu (user+sys) ${fmtSec(median(cpu[k])).padStart(7)} = ${ratioStr(median(cpu[k]), vc)} --version's`,
    );
  const row = (label, k, factor, ref = "version") => ({
    workload: label,
    dvx: fmtSec(median(wall[k])),
    ref: `${ref === "version" ? "--version" : `${SHORT} commits`} ${fmtSec(median(wall[ref]))}`,
    ratio: ratioStr(median(wall[k]), median(wall[ref])),
    target: factor ? `≤ ${factor}x` : "-",
    pass: factor ? median(wall[k]) / median(wall[ref]) <= factor : undefined,
  });
  const summary = [
    row("metrics diff HEAD~1 HEAD", "metricsDiff", 2),
    row("metrics diff HEAD~1 HEAD --md", "metricsDiffMd", 2),
    row(`metrics diff, ${COMMITS} vs ${SHORT} commits of history`, "metricsDiff", undefined, "metricsDiffShort"),
    row("metrics show (workspace)", "metricsShow"),
    row("params diff HEAD~1 HEAD", "paramsDiff"),
  ];
  checkDistUnchanged();
  printSummary(`metrics summary (medians of ${MICRO_RUNS} runs; ${COMMITS} commits, ${FILES} metrics files)`, summary, {
    withPeer: false,
    withReported: false,
  });
  writeResults("metrics", { commits: COMMITS, files: FILES, runs: MICRO_RUNS, wall, cpu, node, summary });
}

try {
  await main();
} catch (e) {
  console.error(`\nbench/metrics.mjs failed: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
