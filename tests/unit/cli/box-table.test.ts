// boxTable's own drawing of plain cells is byte for byte what cli-table3 draws (compact, no colours), and other
// cells still go through cli-table3.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { boxTable } from "../../../src/cli/render/table.js";

const require = createRequire(import.meta.url);
const Table = require("cli-table3") as new (o: object) => { push(...r: string[][]): void; toString(): string };

function reference(headers: string[], rows: string[][]): string {
  const t = new Table({ head: headers, style: { head: [], border: [], compact: true } });
  t.push(...rows);
  return t.toString() + "\n";
}

describe("boxTable", () => {
  it("draws plain and tree cells exactly as cli-table3", () => {
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    const alphabet = " abcXYZ019-.:[]|'\"├└─";
    const cell = (): string => Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join("");
    for (let t = 0; t < 40; t++) {
      const cols = 1 + rnd(6);
      const headers = Array.from({ length: cols }, cell);
      const rows = Array.from({ length: rnd(8) }, () => Array.from({ length: cols }, cell));
      expect(boxTable(headers, rows)).toBe(reference(headers, rows));
    }
    const tree = [
      ["workspace", "-"],
      ["main", "Jan 01, 2026"],
      ["└── 1a2b3c4 [my-exp]", "10:17 AM"],
    ];
    expect(boxTable(["Experiment", "Created"], tree)).toBe(reference(["Experiment", "Created"], tree));
  });

  it("leaves wide characters and line breaks to cli-table3", () => {
    for (const rows of [[["日本語", "x"]], [["two\nlines", "y"]], [["café", "😀"]]])
      expect(boxTable(["a", "b"], rows)).toBe(reference(["a", "b"], rows));
  });
});
