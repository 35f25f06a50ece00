// Renders `dvx diff` results as DVC does: grouped text, or a markdown table (--md).
import type { DiffEntry, DiffResult } from "../../core/ops/diff.js";
import { markdownTable } from "./table.js";

const pathText = (e: DiffEntry): string => (typeof e.path === "string" ? e.path : `${e.path.old} -> ${e.path.new}`);
const digest = (h: DiffEntry["hash"]): string =>
  h === undefined ? "" : typeof h === "string" ? h.slice(0, 8) : `${h.old.slice(0, 8)}..${h.new.slice(0, 8)}`;

const STATES = ["added", "deleted", "renamed", "modified", "not in cache"] as const;

export function diffMarkdown(res: DiffResult, showHash: boolean): string {
  const rows: string[][] = [];
  for (const st of STATES)
    for (const e of res[st] ?? []) rows.push(showHash ? [st, digest(e.hash), pathText(e)] : [st, pathText(e)]);
  return markdownTable(showHash ? ["Status", "Hash", "Path"] : ["Status", "Path"], rows);
}

export function diffText(res: DiffResult, showHash: boolean): string {
  let out = "";
  const summary: string[] = [];
  for (const st of STATES) {
    const list = res[st];
    if (!list || list.length === 0) continue;
    out += `${st[0]!.toUpperCase()}${st.slice(1)}:\n`;
    let files = 0;
    for (const e of list) {
      const p = pathText(e);
      if (!p.endsWith("/")) files++;
      out += `    ${showHash ? `${digest(e.hash)}  ` : ""}${p}\n`;
    }
    out += "\n";
    if (files > 0) summary.push(`${files} ${st}`);
  }
  if (summary.length > 0) out += `files summary: ${summary.join(", ")}\n`;
  return out;
}

/** JSON as DVC prints it: hashes only with --show-hash. */
export function diffJson(res: DiffResult, showHash: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, list] of Object.entries(res) as Array<[string, DiffEntry[]]>) {
    out[k] = list.map((e) => (showHash ? e : { path: e.path }));
  }
  return out;
}
