// Human text for the experiment queue: `exp run --queue`, `queue start/status/remove/kill/stop` (docs/queue.md).
import type { QueueAddResult } from "../../core/ops/queue-add.js";
import type { QueueStatusResult } from "../../core/ops/queue-status.js";
import type { QueueStopResult } from "../../core/ops/queue-stop.js";
import type { QueueRunResult, RunnerEvent } from "../../core/queue/runner.js";
import { boxTable } from "./table.js";

export function queueAddText(res: QueueAddResult): string {
  const lines = res.queued.map(
    (q) => `Queued experiment '${q.name}' for future execution.${q.params.length ? ` (${q.params.join(" ")})` : ""}`,
  );
  for (const s of res.skipped) lines.push(`warning: '${s}' is untracked and larger than 10 MB: left out of the queue`);
  return `${lines.join("\n")}\n`;
}

/** One line per runner event (stderr, as they happen). */
export function runnerEventText(e: RunnerEvent, logOf: (id: string) => string): string {
  if (e.kind === "started") return `Started experiment '${e.name}' (task ${e.id}).\n`;
  if (e.kind === "requeued") return `Experiment '${e.name}' was interrupted and is queued again.\n`;
  if (e.state.status === "success") return `Experiment '${e.name}' done: ${e.state.experiment?.ref ?? "?"}\n`;
  const why = e.state.error?.message ?? "failed";
  return `Experiment '${e.name}' failed: ${why} (log: ${logOf(e.id)})\n`;
}

export function queueRunSummary(res: QueueRunResult): string {
  const ok = res.ran.filter((r) => r.state.status === "success").length;
  const failed = res.ran.filter((r) => r.state.status === "failed").length;
  const again = res.ran.filter((r) => r.state.status === "queued").length;
  const parts = [`${ok} succeeded`, `${failed} failed`];
  if (again > 0) parts.push(`${again} queued again`);
  const tail = res.interrupted ? " (interrupted)" : res.stopped ? " (stopped: the rest stays queued)" : "";
  return res.ran.length === 0 && !res.interrupted
    ? "Nothing is queued.\n"
    : `Ran ${res.ran.length} queued experiment(s): ${parts.join(", ")}${tail}.\n`;
}

/** Local time as YYYY-MM-DD HH:MM:SS. */
function time(iso: string | undefined): string {
  if (!iso) return "-";
  const d = new Date(iso);
  const p = (n: number): string => String(n).padStart(2, "0");
  const day = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${day} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function queueStatusText(res: QueueStatusResult): string {
  const rows = res.entries.map((e) => {
    const status = e.orphaned ? "running (runner gone)" : e.killed ? "failed (killed)" : e.status;
    const info =
      e.status === "success"
        ? (e.experiment?.commit.slice(0, 7) ?? "")
        : e.status === "failed"
          ? (e.error?.message ?? "")
          : e.params.join(" ");
    return [e.id, e.name, time(e.created), status, info.length > 60 ? `${info.slice(0, 57)}...` : info];
  });
  const table =
    rows.length === 0
      ? "No experiments in the queue.\n"
      : boxTable(["Task", "Name", "Created", "Status", "Info"], rows);
  const runner = res.runner
    ? `Runner: '${res.runner.cmd}' (pid ${res.runner.pid}) since ${time(res.runner.since)}\n`
    : 'Runner: none (start one with "dvx queue start")\n';
  return `${table}${table.endsWith("\n") ? "" : "\n"}${runner}`;
}

export const queueRemoveText = (res: { removed: Array<{ name: string }> }): string =>
  res.removed.length === 0
    ? "Nothing to remove from the queue.\n"
    : `Removed from the queue: ${res.removed.map((r) => r.name).join(", ")}\n`;

export const queueKillText = (res: { killed: string[] }): string => `Killed: ${res.killed.join(", ")}\n`;

export function queueStopText(res: QueueStopResult): string {
  if (res.runner === null) return "No queue runner is running.\n";
  const killed = res.killed.length > 0 ? `Killed: ${res.killed.join(", ")}\n` : "";
  return `${killed}The queue runner (pid ${res.runner.pid}) starts nothing new and ends once its experiments have.\n`;
}
