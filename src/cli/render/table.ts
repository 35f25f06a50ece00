// Tables: python-tabulate compatible "plain" and "github" (markdown) layouts, as DVC prints them (built in
// metrics/table.ts, which the PR report shares), and cli-table3 boxes for human-only views. Only this module
// imports cli-table3.
import { createRequire } from "node:module";

export { markdownTable } from "../../metrics/table.js";

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
