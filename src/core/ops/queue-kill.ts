// dvx queue kill NAME...: ends running experiments now; they are recorded as failed (killed), their logs kept.
import { killEntries, reconcileIfIdle } from "../queue/control.js";
import { localExecutor } from "../queue/local-executor.js";
import { listEntries, resolveEntries } from "../queue/store.js";
import type { Repo } from "../repo.js";

export async function queueKillOp(repo: Repo, opts: { names: string[] }): Promise<{ killed: string[] }> {
  const executor = localExecutor();
  await reconcileIfIdle(repo, executor);
  const entries = resolveEntries(await listEntries(repo), opts.names);
  await killEntries(repo, executor, entries);
  return { killed: entries.map((e) => e.task.name) };
}
