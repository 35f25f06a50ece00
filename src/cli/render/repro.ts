// Human text for `dvx repro`: the plan of --dry, and the closing summary table (cli-table3 boxes: repro's
// summary has no DVC format to match).
import type { ReproResult } from "../../core/ops/repro.js";
import { boxTable } from "./table.js";

const secs = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** `repro --dry`: one line per stage that would do something, with why. */
export function reproPlanText(res: ReproResult): string {
  const lines: string[] = [];
  for (const s of res.stages) {
    if (s.action === "unchanged") continue;
    lines.push(`${s.action.padEnd(14)}${s.stage}${s.reasons.length > 0 ? `: ${s.reasons.join("; ")}` : ""}`);
  }
  return lines.length === 0 ? "Data and pipelines are up to date.\n" : `${lines.join("\n")}\n`;
}

/** The summary after a run: what ran, was restored, failed, was not started. Empty when all was up to date. */
export function reproSummaryText(res: ReproResult): string {
  const acted = res.stages.filter((s) => s.action !== "unchanged");
  if (acted.length === 0 && res.failed.length === 0 && res.notRun.length === 0) {
    return "Data and pipelines are up to date.\n";
  }
  const rows = [
    ...res.stages.map((s) => [s.stage, s.action, secs(s.durationMs)]),
    ...res.failed.map((f) => [f.stage, f.code === "INTERRUPTED" ? "interrupted" : "failed", ""]),
    ...res.notRun.map((id) => [id, "not run", ""]),
  ];
  return boxTable(["Stage", "Result", "Time"], rows);
}
