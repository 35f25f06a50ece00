// Human text for `dvx exp …`, worded as DVC words it (exp list keeps DVC's layout exactly).
import type { ExpApplyResult } from "../../core/ops/exp-apply.js";
import type { ExpBranchResult } from "../../core/ops/exp-branch.js";
import type { ExpCleanResult } from "../../core/ops/exp-clean.js";
import type { ExpListBaseline } from "../../core/ops/exp-list.js";
import type { ExpPullResult } from "../../core/ops/exp-pull.js";
import type { ExpPushResult } from "../../core/ops/exp-push.js";
import { RUN_NOTES_REF } from "../../core/runs/run-notes.js";
import { redactUrls } from "../../git/system-git.js";
import { checkoutLines } from "./checkout.js";

const names = (xs: Array<{ name: string }>): string => {
  const n = xs.map((x) => x.name);
  return n.length <= 1 ? (n[0] ?? "") : `${n.slice(0, -1).join(", ")} and ${n.at(-1)}`;
};

export const expRunText = (res: { name: string }): string =>
  `Ran experiment(s): ${res.name}\nExperiment results have been applied to your workspace.\n`;

export const expSaveText = (res: { name: string }): string => `Experiment has been saved as: ${res.name}\n`;

export const expApplyText = (res: ExpApplyResult): string =>
  checkoutLines("M", res.checkout.changed) +
  `Changes for experiment '${res.name}' have been applied to your current workspace.\n`;

export const expBranchText = (res: ExpBranchResult): string =>
  `Git branch '${res.branch}' has been created from experiment '${res.name}'.\n` +
  `To switch to the new branch run:\n\n\tgit checkout ${res.branch}\n`;

/** DVC's `exp list` layout: "<baseline>:" then "\t<sha7> [<name>]" lines; names only with --name-only. */
export function expListText(baselines: ExpListBaseline[], nameOnly: boolean): string {
  const lines: string[] = [];
  for (const b of baselines) {
    if (!nameOnly) lines.push(`${b.name ?? b.rev.slice(0, 7)}:`);
    for (const e of b.experiments) lines.push(nameOnly ? e.name : `\t${e.rev.slice(0, 7)} [${e.name}]`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export const expRemoveText = (removed: Array<{ name: string }>): string =>
  removed.length === 0
    ? "No experiments to remove.\n"
    : `Removed experiments: ${removed.map((e) => e.name).join(",")}\n`;

export const expRenameText = (res: { from: string; to: string }): string =>
  `Renamed experiment '${res.from}' to '${res.to}'.\n`;

export function expCleanText(res: ExpCleanResult): string {
  const parts = [`${res.refs.length} auxiliary ref${res.refs.length === 1 ? "" : "s"}`];
  if (res.locks.length > 0) parts.push(`${res.locks.length} stale lock file${res.locks.length === 1 ? "" : "s"}`);
  if (res.tmp) parts.push("temporary files");
  return `Removed ${parts.join(", ")}.\n`;
}

const notesLine = (n: number): string =>
  n === 0 ? "" : `Run records of ${n} experiment${n === 1 ? "" : "s"} merged (git notes ${RUN_NOTES_REF}).\n`;

export function expPushText(res: ExpPushResult, remote: string): string {
  if (res.experiments.length === 0) return "No experiments to push.\n";
  const data = res.data
    ? `${res.data.pushed} file${res.data.pushed === 1 ? "" : "s"} pushed to the data remote.\n`
    : "";
  const to = redactUrls(remote);
  return `Pushed experiment ${names(res.experiments)} to Git remote '${to}'.\n${data}${notesLine(res.notes)}`;
}

export function expPullText(res: ExpPullResult, remote: string): string {
  if (res.experiments.length === 0) return "No experiments to pull.\n";
  const data = res.data
    ? `${res.data.fetched} file${res.data.fetched === 1 ? "" : "s"} fetched from the data remote.\n`
    : "";
  const from = redactUrls(remote);
  return `Pulled experiment ${names(res.experiments)} from Git remote '${from}'.\n${data}${notesLine(res.notes)}`;
}
