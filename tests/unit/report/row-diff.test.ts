// Row counts of changed text data: the exact diff (jsdiff) with the header of CSV/TSV kept apart, line ends, the
// multiset count past the diff's bounds, sampling, and what counts as binary.
import { describe, expect, it } from "vitest";
import { decodeText, isBinaryExtension, rowDiff, splitLines, textKindOf } from "../../../src/report/row-diff.js";

const csv = (rows: string[], header = "id,value"): string => [header, ...rows].join("\n") + "\n";
const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `${from + i},v${from + i}`);

describe("rowDiff", () => {
  it("counts rows added and removed in a CSV, not counting the header", () => {
    const old = csv(range(0, 100));
    const now = csv([...range(15, 100), ...range(100, 220)]); // 15 rows removed at the top, 120 appended
    const r = rowDiff(old, now, "csv", { sampleRows: 4 });
    expect(r).toMatchObject({ unit: "rows", added: 120, removed: 15, headerChanged: false, orderIgnored: false });
    expect(r.sample.header).toBe("id,value");
    // half of the sample each way, in file order
    expect(r.sample.lines).toEqual([
      { op: "-", text: "0,v0" },
      { op: "-", text: "1,v1" },
      { op: "+", text: "100,v100" },
      { op: "+", text: "101,v101" },
    ]);
    // all of one kind when the other has none
    expect(rowDiff("a\n", "a\nb\nc\nd\n", "text", { sampleRows: 2 }).sample.lines.map((l) => l.op)).toEqual(["+", "+"]);
    expect(r.sample.more).toBe(true);
  });

  it("finds a changed row in the middle as one removed and one added, in file order", () => {
    const rows = range(0, 50);
    const changed = [...rows];
    changed[20] = "20,CHANGED";
    const r = rowDiff(csv(rows), csv(changed), "csv", { sampleRows: 10 });
    expect(r).toMatchObject({ added: 1, removed: 1 });
    expect(r.sample.lines).toEqual([
      { op: "-", text: "20,v20" },
      { op: "+", text: "20,CHANGED" },
    ]);
    expect(r.sample.more).toBe(false);
  });

  it("notes a changed header; CRLF and a missing final line end change nothing", () => {
    const r = rowDiff(csv(range(0, 3)), csv(range(0, 3), "id,val"), "csv", { sampleRows: 5 });
    expect(r).toMatchObject({ added: 0, removed: 0, headerChanged: true });
    const crlf = rowDiff("a\nb\n", "a\r\nb", "text", { sampleRows: 5 });
    expect(crlf).toMatchObject({ unit: "lines", added: 0, removed: 0 });
    expect(splitLines("a\r\nb\n\n")).toEqual(["a", "b", ""]);
    expect(splitLines("")).toEqual([]);
  });

  it("counts every row of a file that is new or gone (JSON lines are rows)", () => {
    expect(rowDiff(null, '{"a":1}\n{"a":2}\n', "jsonl", { sampleRows: 5 })).toMatchObject({
      unit: "rows",
      added: 2,
      removed: 0,
    });
    expect(rowDiff(csv(range(0, 7)), null, "csv", { sampleRows: 5 })).toMatchObject({
      added: 0,
      removed: 7,
      headerChanged: false,
    });
  });

  it("past the diff's bounds counts the rows as multisets, so rows that only moved are no change", () => {
    const rows = range(0, 400);
    const shuffled = [...rows].reverse();
    const exact = rowDiff(csv(rows), csv(shuffled), "csv", { sampleRows: 4 });
    expect(exact.orderIgnored).toBe(false);
    expect(exact.added).toBeGreaterThan(100); // a reversal is hundreds of edits to a line diff
    const bounded = rowDiff(csv(rows), csv([...shuffled.slice(3), "x,1", "y,2"]), "csv", {
      sampleRows: 4,
      maxEdits: 10,
    });
    expect(bounded).toMatchObject({ orderIgnored: true, added: 2, removed: 3 });
    expect(bounded.sample.lines).toEqual([
      { op: "-", text: "397,v397" },
      { op: "-", text: "398,v398" },
      { op: "+", text: "x,1" },
      { op: "+", text: "y,2" },
    ]);
  });

  it("counts exactly what a longest common subsequence leaves (random files against a DP LCS)", () => {
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const lcs = (a: string[], b: string[]): number => {
      const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++)
          dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
      return dp[a.length]![b.length]!;
    };
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: rand(30) }, () => `r${rand(12)}`);
      const b = Array.from({ length: rand(30) }, () => `r${rand(12)}`);
      const r = rowDiff(a.join("\n"), b.join("\n"), "text", { sampleRows: 100 });
      const common = lcs(a, b);
      expect([r.added, r.removed], `${a} | ${b}`).toEqual([b.length - common, a.length - common]);
      // a sample large enough lists every change
      expect(r.sample.lines.filter((x) => x.op === "-")).toHaveLength(r.removed);
      expect(r.sample.lines.filter((x) => x.op === "+")).toHaveLength(r.added);
    }
  });

  it("counts a file whose every row changed exactly, however large (one-sided rows need no diff)", () => {
    const r = rowDiff(csv(range(0, 3000)), csv(range(5000, 8000)), "csv", { sampleRows: 2, maxEdits: 10 });
    expect(r).toMatchObject({ added: 3000, removed: 3000, orderIgnored: false });
  });

  it("cuts long sampled rows", () => {
    const r = rowDiff("", "x".repeat(500), "text", { sampleRows: 1, maxLineChars: 20 });
    expect(r.sample.lines[0]!.text).toBe(`${"x".repeat(19)}…`);
  });
});

describe("text or binary", () => {
  it("decodes UTF-8 text and refuses NUL bytes and invalid UTF-8", () => {
    expect(decodeText(Buffer.from("päinguin,1\n"))).toBe("päinguin,1\n");
    expect(decodeText(Buffer.from([0x61, 0x00, 0x62]))).toBeNull();
    expect(decodeText(Buffer.from([0x61, 0xff, 0xfe, 0x62]))).toBeNull();
  });

  it("knows text kinds and binary formats by extension", () => {
    expect(["a.csv", "b.TSV", "c.jsonl", "d.ndjson", "e.txt", "f"].map(textKindOf)).toEqual([
      "csv",
      "tsv",
      "jsonl",
      "jsonl",
      "text",
      "text",
    ]);
    expect(["m.pkl", "x.parquet", "i.PNG"].every(isBinaryExtension)).toBe(true);
    expect(["a.csv", "notes", "dir.pkl/x.txt"].some(isBinaryExtension)).toBe(false);
  });
});
