// Small Markdown pieces for reports: code spans that survive table cells, HTML text, code fences that no content can
// close, sizes, durations and counts.

const longestRun = (s: string, ch: string): number => {
  let best = 0;
  let run = 0;
  for (const c of s) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
};

/** An inline code span for any text; line breaks become spaces, and in a table cell `|` is escaped. */
export function code(text: string, inTable = false): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const s = inTable ? flat.replace(/\|/g, "\\|") : flat;
  const ticks = "`".repeat(longestRun(s, "`") + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** Text for HTML content or attributes (inside <summary>, <code>). */
export const html = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A fenced code block whose fence is longer than any run of backticks in `lines`. */
export function fenced(lang: string, lines: readonly string[]): string {
  const fence = "`".repeat(Math.max(3, ...lines.map((l) => longestRun(l, "`") + 1)));
  return `${fence}${lang}\n${lines.join("\n")}\n${fence}\n`;
}

/** "1 row", "2 rows". */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Bytes in binary units: "512 B", "4.0 KiB", "12.3 MiB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** "350 ms", "2.5 s", "3 min 5 s", "1 h 2 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** An ISO time as "2026-01-01 12:34 UTC". */
export function utcMinute(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A GitHub table: header cells, alignment per column ("l" or "r"), rows of cells (already escaped). */
export function table(headers: readonly string[], align: string, rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  const sep = `|${headers.map((_, i) => (align[i] === "r" ? "---:" : "---")).join("|")}|`;
  return `${[line(headers), sep, ...rows.map(line)].join("\n")}\n`;
}
