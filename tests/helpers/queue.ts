// A project for the queue suites: one stage that reads train.lr from params.yaml, writes its shell's pid to
// <pids>/<lr>, waits while <holds>/<lr> exists (the test decides when each experiment may finish), fails when lr is
// "bad" (ignores SIGTERM when it is "stubborn": the command execs the script, so nothing above it dies), and writes
// metrics.json (acc = lr) and model.txt (cached). Driven through the built CLI.
import { existsSync, readdirSync, readFileSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, onTestFinished } from "vitest";
import { processRuns, runBuilt, waitFor, type ProcResult } from "./pipeline.js";
import { makeRepo, tmpDir, type TmpRepo } from "./tmp-repo.js";

export interface QueueProject {
  r: TmpRepo;
  head: string;
  pids: string;
  holds: string;
  dvx(...argv: string[]): Promise<ProcResult>;
  /** Makes experiment `lr` wait until release(lr). */
  hold(...lrs: string[]): void;
  release(...lrs: string[]): void;
  pidOf(lr: string): number;
  started(lr: string): boolean;
  status(): Promise<Array<Record<string, unknown> & { name: string; status: string; id: string }>>;
  expRefs(): string[];
  worktrees(): string[];
}

const train = (pids: string, holds: string): string => `lr=$(sed -n 's/^ *lr: *//p' params.yaml)
echo "training lr=$lr"
if [ "$lr" = stubborn ]; then trap '' TERM; fi
echo $$ > "${pids}/$lr"
while [ -e "${holds}/$lr" ]; do sleep 0.05; done
if [ "$lr" = bad ]; then echo "diverged" >&2; exit 3; fi
printf '{"acc": %s}\\n' "$lr" > metrics.json
echo "model $lr" > model.txt
`;

const DVC_YAML =
  "stages:\n  train:\n    cmd: exec sh train.sh\n    deps: [train.sh]\n    params: [train.lr]\n" +
  "    outs: [model.txt]\n    metrics:\n    - metrics.json:\n        cache: false\n";

export async function queueProject(extra: Record<string, string> = {}): Promise<QueueProject> {
  const side = tmpDir("dvx-queue-side-");
  const pids = join(side, "pids");
  const holds = join(side, "holds");
  mkdirSync(pids);
  mkdirSync(holds);
  const r = await makeRepo({
    files: { "params.yaml": "train:\n  lr: 0.1\n", "train.sh": train(pids, holds), "dvc.yaml": DVC_YAML, ...extra },
  });
  r.git("config", "user.name", "t");
  r.git("config", "user.email", "t@e");
  const p: QueueProject = {
    r,
    head: "",
    pids,
    holds,
    dvx: (...argv) => runBuilt(r.dir, argv, {}, 120_000),
    hold: (...lrs) => lrs.forEach((lr) => writeFileSync(join(holds, lr), "")),
    release: (...lrs) => lrs.forEach((lr) => rmSync(join(holds, lr), { force: true })),
    pidOf: (lr) => Number(readFileSync(join(pids, lr), "utf8").trim()),
    started: (lr) => existsSync(join(pids, lr)) && readFileSync(join(pids, lr), "utf8").trim() !== "",
    status: async () => {
      const res = await p.dvx("queue", "status", "--json");
      expect(res.code, res.stderr).toBe(0);
      return (
        JSON.parse(res.stdout) as {
          entries: Array<Record<string, unknown> & { name: string; status: string; id: string }>;
        }
      ).entries;
    },
    expRefs: () => r.git("for-each-ref", "--format=%(refname)", "refs/exps").split("\n").filter(Boolean),
    worktrees: () =>
      r
        .git("worktree", "list", "--porcelain")
        .split("\n")
        .filter((l) => l.startsWith("worktree "))
        .map((l) => l.slice(9)),
  };
  onTestFinished(() => {
    // no stage shell outlives its test, whatever happened
    for (const f of existsSync(pids) ? readdirSync(pids) : []) {
      const pid = Number(readFileSync(join(pids, f), "utf8").trim());
      if (pid > 0 && processRuns(pid)) process.kill(pid, "SIGKILL");
    }
  });
  const repro = await p.dvx("repro", "-q");
  expect(repro.code, repro.stderr).toBe(0);
  p.head = r.commit("baseline");
  return p;
}

/** Queues one experiment per lr (named lr-<lr>), checking each succeeds. */
export async function queueLrs(p: QueueProject, ...lrs: string[]): Promise<void> {
  for (const lr of lrs) {
    const res = await p.dvx("exp", "run", "--queue", "-S", `train.lr=${lr}`, "-n", `lr-${lr}`);
    expect(res.code, res.stderr).toBe(0);
  }
}

/** The worktree directory of the queue is empty (or gone), and git knows only the main work tree. */
export function expectNoWorktrees(p: QueueProject): void {
  const wt = join(p.r.dir, ".dvc/tmp/dvx-queue/wt");
  expect(existsSync(wt) ? readdirSync(wt) : []).toEqual([]);
  expect(p.worktrees()).toHaveLength(1);
}

export const waitStarted = (p: QueueProject, ...lrs: string[]): Promise<void> =>
  waitFor(() => lrs.every((lr) => p.started(lr)), 30_000, `experiments ${lrs.join(", ")} to start`);
