// `dvx stage list` as DVC prints it: a plain two-column table (tabulate "plain": columns two spaces apart,
// no trailing blanks), descriptions cut at 80 characters with "…".
import type { StageListEntry } from "../../core/ops/stage-list.js";

const MAX_TEXT = 80;

/** DVC's truncate_text: at most `max` characters, the last one an ellipsis when cut. */
export function truncateText(text: string, max = MAX_TEXT): string {
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : text;
}

export function stageListText(entries: StageListEntry[], nameOnly: boolean): string {
  if (entries.length === 0) return "";
  const width = Math.max(...entries.map((e) => Array.from(e.name).length));
  const lines = entries.map((e) => {
    const desc = nameOnly ? "" : truncateText(e.description).trim();
    const pad = " ".repeat(width - Array.from(e.name).length);
    return `${e.name}${pad}  ${desc}`.trimEnd();
  });
  return lines.join("\n") + "\n";
}
