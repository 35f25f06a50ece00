// Experiment benchmarks (issue 12): `exp run` of a no-op pipeline against `dvx --version` (target <= 3x), with a
// no-op `repro` for context (exp run = repro + snapshot + commit + ref). Prints figures; see bench/README.md.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DVX,
  MICRO_RUNS,
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
  ratioStr,
  runTool,
  toolSh,
  writeResults,
} from "./common.mjs";

async function med(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push((await fn(i)).wall);
  return median(xs);
}

async function main() {
  checkDvx();
  printHeader("bench/exp.mjs", ["no-op exp run vs --version"]);
  const dir = freshRepo(DVX, "exp-noop");
  writeFileSync(join(dir, "params.yaml"), "train:\n  lr: 0.1\n");
  writeFileSync(
    join(dir, "dvc.yaml"),
    "stages:\n  train:\n    cmd: echo done > model.txt\n    params:\n    - train.lr\n    outs:\n    - model.txt\n",
  );
  toolSh(DVX, ["repro", "-q"], { cwd: dir });
  gitCommitAll(dir, "pipeline");
  await runTool(DVX, ["exp", "run", "-q", "-n", "warm"], { cwd: dir }); // first run: stat cache, page cache
  const version = await med(MICRO_RUNS, () => runTool(DVX, ["--version"], { cwd: dir }));
  const repro = await med(MICRO_RUNS, () => runTool(DVX, ["repro", "-q"], { cwd: dir }));
  const exp = await med(MICRO_RUNS, (i) => runTool(DVX, ["exp", "run", "-q", "-n", `noop-${i}`], { cwd: dir }));
  const results = { version, repro, expRun: exp };
  const rows = [
    {
      workload: "exp run, no-op pipeline",
      dvx: fmtSec(exp),
      ref: `--version ${fmtSec(version)}`,
      ratio: ratioStr(exp, version),
      target: "<= 3x --version",
      pass: exp / version <= 3,
    },
    {
      workload: "repro, same pipeline (context)",
      dvx: fmtSec(repro),
      ref: `--version ${fmtSec(version)}`,
      ratio: ratioStr(repro, version),
      target: "-",
      pass: true,
    },
  ];
  printSummary("experiments", rows, { withReported: false });
  note(`MICRO_RUNS=${MICRO_RUNS}`);
  writeResults("exp", results);
  checkDistUnchanged();
  cleanup();
  log("");
}

await main();
