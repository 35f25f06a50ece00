// dvx exp run --queue: adds experiments to the queue (docs/queue.md) instead of running them. The workspace is
// snapshotted with the -S edits applied to the snapshot, never to the user's files; a sweep (a,b / choice() /
// range()) queues one experiment per combination. Names are fixed now: given (-n; NAME-1, NAME-2… for a sweep)
// or random, unique among the baseline's experiments and the entries waiting to run on it.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ExperimentExistsError } from "../../exp/errors.js";
import { checkExpName, randomExpName } from "../../exp/names.js";
import type { ParamOverride } from "../../exp/override-parse.js";
import { expRefName } from "../../exp/refs.js";
import { expandSweeps } from "../../exp/sweep.js";
import { gitPlace } from "../exp/collect.js";
import { headCommit, listExperiments } from "../exp/experiments.js";
import { planSetParams } from "../exp/set-params.js";
import { withLock } from "../lock.js";
import { captureWorkspace, stashCommit, storeStash } from "../queue/stash.js";
import {
  listEntries,
  QUEUE_REF_PREFIX,
  withQueueLock,
  writeTask,
  type QueuedRepro,
  type QueueTask,
} from "../queue/store.js";
import type { Repo } from "../repo.js";

export interface QueueAddOptions {
  cwd: string;
  setParams: readonly ParamOverride[];
  name?: string;
  force?: boolean;
  message?: string;
  repro: QueuedRepro;
}

export interface QueueAddResult {
  queued: Array<Pick<QueueTask, "id" | "name" | "baseline" | "params">>;
  /** Untracked files left out of the snapshot for their size. */
  skipped: string[];
}

/** Task ids sort by creation time: base-36 milliseconds (fixed width) and 4 random hex digits. */
export const newTaskId = (now = Date.now()): string =>
  now.toString(36).padStart(9, "0") + randomBytes(2).toString("hex");

export async function queueAddOp(repo: Repo, opts: QueueAddOptions): Promise<QueueAddResult> {
  return withLock(repo, "dvx exp run --queue", async () => {
    const place = await gitPlace(repo);
    const baseline = await headCommit(place.gitRoot);
    const combos = expandSweeps(opts.setParams);
    // every override of every combination is checked before anything is written
    const edits = await Promise.all(combos.map((c) => planSetParams(repo.root, opts.cwd, c)));
    const cwd = path.relative(repo.root, opts.cwd).split(path.sep).join("/");
    // the workspace snapshot (hashing changed files) before the queue lock, which a running queue needs too
    const capture = await captureWorkspace(place.gitRoot, repo.env);
    return withQueueLock(repo, "dvx exp run --queue", async () => {
      const waiting = (await listEntries(repo)).filter(
        (e) => e.task.baseline === baseline && (e.state.status === "queued" || e.state.status === "running"),
      );
      const existing = new Set((await listExperiments(place.gitRoot, baseline)).map((e) => e.name));
      const taken = new Set([...existing, ...waiting.map((e) => e.task.name)]);
      const names = combos.map((_, i) =>
        opts.name === undefined ? undefined : combos.length === 1 ? opts.name : `${opts.name}-${i + 1}`,
      );
      for (const name of names) {
        if (name === undefined) continue;
        checkExpName(name);
        if (waiting.some((e) => e.task.name === name))
          throw new ExperimentExistsError(
            name,
            expRefName(baseline, name),
            `it is queued already: see "dvx queue status"`,
          );
        if (existing.has(name) && !opts.force) throw new ExperimentExistsError(name, expRefName(baseline, name));
      }
      const result: QueueAddResult = { queued: [], skipped: capture.skipped };
      for (const [i, combo] of combos.entries()) {
        const name = names[i] ?? randomExpName(taken);
        taken.add(name);
        const id = newTaskId();
        const stash = await stashCommit(capture, place.prefix, edits[i]!, baseline, `dvx queue: ${name}\n`);
        const task: QueueTask = {
          id,
          name,
          baseline,
          stash,
          ref: QUEUE_REF_PREFIX + id,
          prefix: place.prefix,
          cwd,
          params: combo.map((o) => o.arg),
          force: opts.force === true,
          ...(opts.message !== undefined ? { message: opts.message } : {}),
          repro: opts.repro,
          created: new Date().toISOString(),
        };
        await storeStash(place.gitRoot, task.ref, stash);
        await writeTask(repo, task);
        result.queued.push({ id, name, baseline, params: task.params });
      }
      return result;
    });
  });
}
