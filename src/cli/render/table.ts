// Tables: python-tabulate compatible "plain" and "github" (markdown) layouts, as DVC prints them (built in
// metrics/table.ts, which the PR report shares), and cli-table3 boxes for human-only views. Only this module
// imports cli-table3.
import { createRequire } from "node:module";

export { markdownTable } from "../../metrics/table.js";

/** Cells cli-table3 measures one column per character: printable ASCII and the box characters of trees. */
const SIMPLE = /^[\x20-\x7e\u2500\u251c\u2514]*$/;

/**
 * What cli-table3 draws for single-line cells of one-column characters (compact style, no colours), without
 * its per-cell width and wrapping work, which costs seconds for a few thousand cells (`exp show` with hundreds of
 * experiments). tests/unit/cli/box-table.test.ts holds it byte for byte against cli-table3.
 */
function simpleBox(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => {
    let w = h.length;
    for (const r of rows) w = Math.max(w, (r[i] ?? "").length);
    return w;
  });
  const rule = (l: string, m: string, r: string): string => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  const line = (cells: readonly string[]): string =>
    "│" + widths.map((w, i) => ` ${(cells[i] ?? "").padEnd(w)} `).join("│") + "│";
  const out = [rule("┌", "┬", "┐"), line(headers)];
  if (rows.length > 0) out.push(rule("├", "┼", "┤"), ...rows.map(line));
  out.push(rule("└", "┴", "┘"));
  return out.join("\n") + "\n";
}

/** A boxed table for terminals (cli-table3, loaded lazily; plain cells are drawn the same way without it). */
export function boxTable(headers: string[], rows: string[][]): string {
  if (headers.every((h) => SIMPLE.test(h)) && rows.every((r) => r.every((c) => SIMPLE.test(c))))
    return simpleBox(headers, rows);
  const require = createRequire(import.meta.url);
  const Table = require("cli-table3") as new (o: object) => { push(...r: string[][]): void; toString(): string };
  const t = new Table({
    head: headers,
    style: { head: [], border: [], compact: true },
  });
  t.push(...rows);
  return t.toString() + "\n";
}
