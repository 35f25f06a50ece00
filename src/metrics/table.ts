// Tables exactly as DVC prints them through python-tabulate (disable_numparse, every cell a string):
// "plain" for terminals and "github" for --md, plus Python's csv module for --csv. Pure strings, so the
// PR report can reuse the markdown table. Column width = max(longest cell, header + 2); widths count code
// points, as Python's len() does.

const LOW_SURROGATE = /[\udc00-\udfff]/;
const width = (s: string): number => {
  if (!LOW_SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // the low half of a surrogate pair adds nothing
  }
  return n;
};
/** tabulate strips the cells of left-aligned (string) columns. */
const strip = (rows: readonly (readonly string[])[]): string[][] => rows.map((r) => r.map((c) => c.trim()));
const pad = (s: string, w: number): string => s + " ".repeat(Math.max(0, w - width(s)));

const widths = (headers: readonly string[], rows: readonly (readonly string[])[]): number[] =>
  headers.map((h, i) => Math.max(width(h) + 2, ...rows.map((r) => width(r[i] ?? ""))));

/** tabulate "github": `| a | b |` rows, a dashed separator, then one empty line (DVC's --md output). */
export function markdownTable(headers: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = strip(cells);
  const w = widths(headers, rows);
  const line = (cells: readonly string[]): string => "| " + w.map((n, i) => pad(cells[i] ?? "", n)).join(" | ") + " |";
  const sep = "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|";
  return [line(headers), sep, ...rows.map(line)].join("\n") + "\n\n";
}

/** tabulate "plain": columns separated by two spaces, trailing whitespace stripped. */
export function plainTable(headers: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = strip(cells);
  const w = widths(headers, rows);
  const line = (cells: readonly string[]): string =>
    w
      .map((n, i) => pad(cells[i] ?? "", n))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

const CSV_QUOTE = /[",\r\n]/;

/** Python's csv.writer (excel dialect: QUOTE_MINIMAL, "\r\n" line ends), header first. */
export function csvTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (s: string, only: boolean): string =>
    CSV_QUOTE.test(s) || (only && s === "") ? `"${s.replace(/"/g, '""')}"` : s;
  const line = (cells: readonly string[]): string => cells.map((c) => field(c, cells.length === 1)).join(",") + "\r\n";
  return [headers, ...rows].map(line).join("");
}

export type TableFormat = "plain" | "md" | "csv";

/**
 * DVC's TabularData.render: csv always has its header; a plain table with no rows prints nothing at all,
 * a markdown one prints its header.
 */
export function renderTable(
  format: TableFormat,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  if (format === "csv") return csvTable(headers, rows);
  if (format === "md") return markdownTable(headers, rows);
  return rows.length === 0 ? "" : plainTable(headers, rows);
}
