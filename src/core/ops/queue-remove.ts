// dvx queue remove NAME... | --all | --queued | --success | --failed (and exp remove --queue): deletes queue
// entries: their directory (task, state, log) and their refs/dvx/queue/<id> ref. Experiments they produced stay.
// A running entry is refused by name (kill it first) and skipped by the flags.
import { rm } from "node:fs/promises";
import { deleteRef } from "../../git/refs-store.js";
import { UsageError } from "../../errors.js";
import { QueueEntryStateError } from "../../exp/queue-errors.js";
import { gitPlace } from "../exp/collect.js";
import { reconcileIfIdle } from "../queue/control.js";
import { localExecutor } from "../queue/local-executor.js";
import { listEntries, resolveEntries, withQueueLock, type QueueStatus } from "../queue/store.js";
import type { Repo } from "../repo.js";

export interface QueueRemoveOptions {
  names: string[];
  all?: boolean;
  queued?: boolean;
  success?: boolean;
  failed?: boolean;
}

export interface QueueRemoveResult {
  removed: Array<{ id: string; name: string; status: QueueStatus }>;
}

export async function queueRemoveOp(repo: Repo, opts: QueueRemoveOptions): Promise<QueueRemoveResult> {
  const kinds = new Set<QueueStatus>();
  if (opts.all || opts.queued) kinds.add("queued");
  if (opts.all || opts.success) kinds.add("success");
  if (opts.all || opts.failed) kinds.add("failed");
  if (opts.names.length === 0 && kinds.size === 0)
    throw new UsageError("name the queued experiments to remove, or use --all, --queued, --success or --failed");
  await reconcileIfIdle(repo, localExecutor());
  const { gitRoot } = await gitPlace(repo);
  return withQueueLock(repo, "dvx queue remove", async () => {
    const entries = await listEntries(repo);
    const named = resolveEntries(entries, opts.names);
    for (const e of named)
      if (e.state.status === "running")
        throw new QueueEntryStateError(
          e.task.name,
          "running",
          "remove",
          `kill it first: "dvx queue kill ${e.task.name}"`,
        );
    const targets = new Map(named.map((e) => [e.task.id, e]));
    for (const e of entries) if (kinds.has(e.state.status)) targets.set(e.task.id, e);
    const removed: QueueRemoveResult["removed"] = [];
    for (const e of targets.values()) {
      await deleteRef(gitRoot, e.task.ref).catch(() => undefined); // already gone: fine
      await rm(e.dir, { recursive: true, force: true });
      removed.push({ id: e.task.id, name: e.task.name, status: e.state.status });
    }
    return { removed };
  });
}
