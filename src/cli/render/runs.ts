// Human text for `dvx runs list` (a cli-table3 box, or a markdown table with --md) and `dvx runs show`.
import type { RunsListResult } from "../../core/ops/runs-list.js";
import type { KnownRun } from "../../core/runs/load-runs.js";
import type { RunRecord } from "../../core/runs/record.js";
import { flatten } from "../../metrics/flatten.js";
import { durationText } from "../../util/duration.js";
import { boxTable, markdownTable } from "./table.js";

/** "2026-01-02 10:11:12Z" (UTC, seconds). */
export const timeText = (iso: string): string => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

const cell = (v: unknown): string => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

/** `key=value` leaves of every file of params or metrics, files merged ("file:" only when keys clash). */
function leaves(data: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const files = Object.keys(data);
  for (const f of files) {
    const obj = data[f];
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) continue;
    for (const [k, v] of flatten(obj as Record<string, unknown>)) out.push([files.length > 1 ? `${f}:${k}` : k, v]);
  }
  return out;
}

const summary = (data: Record<string, unknown>, max = 3): string => {
  const all = leaves(data);
  const shown = all.slice(0, max).map(([k, v]) => `${k}=${cell(v)}`);
  return all.length > max ? `${shown.join(" ")} …` : shown.join(" ");
};

const commitText = (r: RunRecord): string =>
  r.git.commit === null ? "-" : `${r.git.commit.slice(0, 7)}${r.git.dirty ? "*" : ""}`;

const HEADERS = ["Run", "Name", "Kind", "Status", "Started", "Duration", "Commit", "Metrics"];

function rows(res: RunsListResult): string[][] {
  return res.runs.map(({ record: r }) => [
    r.id,
    r.experiment?.commit ? `${r.name} (${r.experiment.commit.slice(0, 7)})` : r.name,
    r.kind,
    r.status,
    timeText(r.started),
    durationText(r.durationMs),
    commitText(r),
    summary(r.metrics),
  ]);
}

export function runsListText(res: RunsListResult, md: boolean): string {
  if (res.runs.length === 0) return md ? "" : "No run records.\n";
  return md ? markdownTable(HEADERS, rows(res)) : boxTable(HEADERS, rows(res));
}

/** The closing note when the list was cut by -n. */
export const runsMoreText = (res: RunsListResult): string =>
  res.matched > res.runs.length
    ? `${res.matched - res.runs.length} older run record(s) not shown (use -n N or --all)\n`
    : "";

export function runShowText({ record: r, source }: KnownRun): string {
  const where = source.type === "file" ? source.path : `git notes --ref ${source.ref} show ${source.commit}`;
  const lines = [
    `Run:         ${r.id}  (${r.kind} '${r.name}')`,
    `Status:      ${r.status}${r.error ? ` (${r.error.code}: ${r.error.message})` : ""}`,
    `Started:     ${timeText(r.started)}`,
    `Ended:       ${timeText(r.ended)}  (${durationText(r.durationMs)})`,
    `Command:     ${r.command}`,
    `User:        ${r.user}@${r.host}`,
    `Git:         ${r.git.commit ?? "no commit"}${r.git.branch ? ` (${r.git.branch})` : ""}` +
      (r.git.dirty ? `, uncommitted: ${r.git.changed.join(", ")}` : ", clean"),
  ];
  if (r.experiment) {
    const e = r.experiment;
    lines.push(`Experiment:  ${e.name}${e.commit ? ` ${e.commit}` : " (not committed)"} on ${e.baseline.slice(0, 7)}`);
  }
  const env = r.environment;
  lines.push(`Environment: dvx ${env.dvx}, Node ${env.node}, git ${env.git ?? "-"}, ${env.os}, ${env.cpus} CPUs`);
  for (const [f, h] of Object.entries(env.lockfiles)) lines.push(`  ${f}  ${h}`);
  lines.push(`Record:      ${where}`, "");
  let text = `${lines.join("\n")}\n`;
  if (r.stages.length > 0) {
    const stageRows = r.stages.map((s) => [
      s.stage,
      s.action,
      durationText(s.durationMs),
      s.exitCode === undefined ? "" : s.exitCode === null ? (s.signal ?? "signal") : String(s.exitCode),
    ]);
    text += boxTable(["Stage", "Result", "Time", "Exit"], stageRows);
  }
  const kv = (title: string, data: Array<[string, unknown]>): string =>
    data.length === 0 ? "" : `${title}:\n${data.map(([k, v]) => `  ${k}: ${cell(v)}`).join("\n")}\n`;
  text += kv("Params", leaves(r.params));
  text += kv("Metrics", leaves(r.metrics));
  text += kv("Outputs", Object.entries(r.outputs));
  return text;
}
