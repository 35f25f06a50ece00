#!/usr/bin/env node
// Benchmark of the plots part of the metrics/params/plots issue: `dvx plots diff` of 3 revisions × 10 plots of
// 10k points each must take ≤ 3 s and write an HTML report ≤ 5 MB. Prints figures and a summary; not a test.
// Usage: node bench/plots.mjs     (env: DVX_BENCH_RUNS, DVX_BENCH_PLOTS, DVX_BENCH_POINTS, KEEP; see bench/README.md)

import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DVX,
  KEEP,
  RUNS,
  WORK_DIR,
  checkDistUnchanged,
  checkDvx,
  fmtBytes,
  fmtMB,
  fmtSec,
  freshRepo,
  gitCommitAll,
  log,
  median,
  mkdirp,
  note,
  printHeader,
  printSummary,
  prng,
  rmrf,
  runTool,
  timed,
  writeResults,
} from "./common.mjs";

const PLOTS = Number(process.env.DVX_BENCH_PLOTS || 10);
const POINTS = Number(process.env.DVX_BENCH_POINTS || 10_000);
const REVS = ["HEAD~2", "HEAD~1", "HEAD"];
const TARGET_SEC = 3;
const TARGET_HTML = 5 * 1000 * 1000;

/** A noisy decaying curve: CSV with step, loss (the plotted y) — 10k rows ≈ 190 KB. */
function lossCsv(plot, rev) {
  const rnd = prng(plot * 1000 + rev + 1);
  const rows = ["step,loss"];
  for (let i = 0; i < POINTS; i++)
    rows.push(`${i},${(Math.exp(-i / (POINTS / (3 + (plot % 4)))) * (1 + rev * 0.1) + rnd() * 0.05).toFixed(5)}`);
  return rows.join("\n") + "\n";
}

function setup() {
  const dir = freshRepo(DVX, "plots");
  const yaml = ["plots:"];
  for (let p = 0; p < PLOTS; p++) yaml.push(`  - plots/p${p}.csv:`, "      x: step", "      y: loss");
  writeFileSync(join(dir, "dvc.yaml"), yaml.join("\n") + "\n");
  mkdirp(join(dir, "plots"));
  for (let rev = 0; rev < REVS.length; rev++) {
    for (let p = 0; p < PLOTS; p++) writeFileSync(join(dir, "plots", `p${p}.csv`), lossCsv(p, rev));
    gitCommitAll(dir, `v${rev}`);
  }
  return dir;
}

async function main() {
  const version = checkDvx();
  printHeader("bench/plots.mjs", [
    `dvx ${version}; workload: ${REVS.length} revisions × ${PLOTS} plots × ${POINTS} points (linear template)`,
  ]);
  const dir = setup();
  const out = join(dir, "report");
  const node0 = [];
  const diff = [];
  const json = [];
  const md = [];
  let html = 0;
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    node0.push((await timed([process.execPath, "-e", "0"])).wall);
    const r = await runTool(DVX, ["plots", "diff", ...REVS, "-o", out], { cwd: dir });
    diff.push(r);
    rss = Math.max(rss, r.rssKB ?? 0);
    html = statSync(join(out, "index.html")).size;
    note(
      `plots diff: ${fmtSec(r.wall)} wall, ${fmtSec(r.user + r.sys)} CPU, ${fmtMB(r.rssKB)} RSS, HTML ${fmtBytes(html)}`,
    );
    json.push((await runTool(DVX, ["plots", "diff", ...REVS, "--json", "-o", out], { cwd: dir })).wall);
    md.push((await runTool(DVX, ["plots", "diff", ...REVS, "--md"], { cwd: dir })).wall);
  }
  const loadVega = await timed([process.execPath, "-e", "require('vega'); require('vega-lite')"], { cwd: DVX_ROOT() });
  const wall = median(diff.map((r) => r.wall));
  const cpu = median(diff.map((r) => r.user + r.sys));
  const rows = [
    {
      workload: `plots diff (${REVS.length} revs × ${PLOTS} plots × ${POINTS} pts) → HTML`,
      dvx: fmtSec(wall),
      ref: `node -e 0: ${fmtSec(median(node0))}`,
      target: `≤ ${TARGET_SEC} s`,
      pass: wall <= TARGET_SEC,
    },
    { workload: "  its CPU (user+sys)", dvx: fmtSec(cpu) },
    { workload: "  HTML report size", dvx: fmtBytes(html), target: "≤ 5 MB", pass: html <= TARGET_HTML },
    { workload: "  peak RSS", dvx: fmtMB(rss) },
    { workload: "plots diff --json (context)", dvx: fmtSec(median(json)) },
    { workload: "plots diff --md (context)", dvx: fmtSec(median(md)) },
    { workload: "loading vega + vega-lite (context)", dvx: fmtSec(loadVega.wall) },
  ];
  printSummary("plots", rows, { withPeer: false, withReported: false });
  writeResults("plots", {
    revs: REVS.length,
    plots: PLOTS,
    points: POINTS,
    runs: RUNS,
    wallSec: diff.map((r) => r.wall),
    cpuSec: diff.map((r) => r.user + r.sys),
    htmlBytes: html,
    peakRssKB: rss,
    jsonSec: json,
    mdSec: md,
    nodeSec: node0,
  });
  checkDistUnchanged();
  if (!KEEP) rmrf(WORK_DIR);
  else note(`KEEP=1: leaving ${dir}`);
}

const DVX_ROOT = () => join(DVX.argv[1], "..", "..");

main().catch((err) => {
  log(err?.stack ?? String(err));
  process.exitCode = 1;
});
