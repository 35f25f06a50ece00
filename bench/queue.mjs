// Queue benchmark (issue 12): 4 queued experiments whose single stage sleeps 1 s, `queue start -j 4` (target: <= 2 s
// wall, i.e. they really run at once, and preparing worktrees + starting workers + collecting costs < 1 s), with
// `-j 1` for context (>= 4 s: the same work one at a time). Prints figures and the machine load; see bench/README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import {
  DVX,
  RUNS,
  checkDistUnchanged,
  checkDvx,
  cleanup,
  fmtSec,
  freshRepo,
  gitCommitAll,
  log,
  median,
  note,
  printHeader,
  printSummary,
  runTool,
  toolSh,
  writeResults,
} from "./common.mjs";

const SLEEPERS = 4;

function project() {
  const dir = freshRepo(DVX, "queue-sleep");
  writeFileSync(join(dir, "params.yaml"), "train:\n  seed: 0\n");
  writeFileSync(
    join(dir, "dvc.yaml"),
    "stages:\n  train:\n    cmd: sleep 1 && echo done > out.txt\n    params:\n    - train.seed\n    outs:\n    - out.txt\n",
  );
  toolSh(DVX, ["repro", "-q"], { cwd: dir });
  gitCommitAll(dir, "pipeline");
  return dir;
}

/** Queues SLEEPERS experiments (distinct seeds, so none is restored from the run cache) and times `queue start`. */
async function round(dir, jobs, r) {
  for (let i = 0; i < SLEEPERS; i++)
    toolSh(DVX, ["exp", "run", "--queue", "-q", "-S", `train.seed=${jobs * 1000 + r * 10 + i + 1}`], { cwd: dir });
  const t = await runTool(DVX, ["queue", "start", "-j", String(jobs), "-q"], { cwd: dir });
  const status = JSON.parse(toolSh(DVX, ["queue", "status", "--json"], { cwd: dir }).stdout ?? "{}");
  const ok = (status.entries ?? []).filter((e) => e.status === "success").length;
  toolSh(DVX, ["queue", "remove", "--all", "-q"], { cwd: dir });
  if (ok !== SLEEPERS) note(`round ${r} (-j ${jobs}): only ${ok} of ${SLEEPERS} succeeded`);
  return t.wall;
}

const uptime = () => {
  try {
    return readFileSync("/proc/loadavg", "utf8").trim();
  } catch {
    return loadavg()
      .map((x) => x.toFixed(2))
      .join(" ");
  }
};

async function main() {
  checkDvx();
  printHeader("bench/queue.mjs", [`${SLEEPERS} queued experiments, each one stage sleeping 1 s`]);
  const dir = project();
  await round(dir, SLEEPERS, 99); // warm-up: page cache, first worktree
  const before = uptime();
  const par = [];
  const seq = [];
  for (let r = 0; r < RUNS; r++) par.push(await round(dir, SLEEPERS, r));
  for (let r = 0; r < Math.min(RUNS, 2); r++) seq.push(await round(dir, 1, r));
  const after = uptime();
  const results = { parallel: median(par), sequential: median(seq), runs: { par, seq }, load: { before, after } };
  printSummary(
    "queue",
    [
      {
        workload: `queue start -j ${SLEEPERS}, ${SLEEPERS} x sleep 1`,
        dvx: fmtSec(results.parallel),
        ref: "-",
        ratio: "-",
        target: "<= 2 s wall",
        pass: results.parallel <= 2,
      },
      {
        workload: `queue start -j 1, same (context)`,
        dvx: fmtSec(results.sequential),
        ref: "-",
        ratio: "-",
        target: "-",
      },
    ],
    { withReported: false },
  );
  note(`runs: -j ${SLEEPERS} ${par.map(fmtSec).join(", ")}; -j 1 ${seq.map(fmtSec).join(", ")}`);
  note(`load average (1/5/15 min, running/total): before ${before}; after ${after}`);
  writeResults("queue", results);
  checkDistUnchanged();
  cleanup();
  log("");
}

await main();
