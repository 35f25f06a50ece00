// Tables: python-tabulate compatible "plain" and "github" (markdown) layouts, as DVC prints them,
// and cli-table3 boxes for human-only views. Only this module imports cli-table3.
import { createRequire } from "node:module";

/** Column width = max(longest cell, header + 2) — tabulate's rule that DVC's output follows. */
const widths = (headers: string[], rows: string[][]): number[] =>
  headers.map((h, i) => Math.max(h.length + 2, ...rows.map((r) => (r[i] ?? "").length)));

/** GitHub markdown table followed by one empty line (DVC's --md output). */
export function markdownTable(headers: string[], rows: string[][]): string {
  const w = widths(headers, rows);
  const line = (cells: string[]): string => "| " + cells.map((c, i) => c.padEnd(w[i]!)).join(" | ") + " |";
  const sep = "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|";
  return [line(headers), sep, ...rows.map(line)].join("\n") + "\n\n";
}

/** A boxed table for terminals (cli-table3, loaded lazily). */
export function boxTable(headers: string[], rows: string[][]): string {
  const require = createRequire(import.meta.url);
  const Table = require("cli-table3") as new (o: object) => { push(...r: string[][]): void; toString(): string };
  const t = new Table({
    head: headers,
    style: { head: [], border: [], compact: true },
  });
  t.push(...rows);
  return t.toString() + "\n";
}
