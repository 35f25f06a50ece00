// Plot data files as DVC reads them: csv.DictReader (strings, header row or numbered columns), JSON, YAML,
// and DVC's get_datapoints over nested lists.
import { describe, expect, it } from "vitest";
import {
  datapointsOf,
  isImagePath,
  listsIn,
  parsePlotData,
  parseSv,
  PlotDataError,
  splitRows,
} from "../../../src/plots/parse-data.js";

const buf = (s: string): Buffer => Buffer.from(s, "utf8");

describe("CSV/TSV", () => {
  it("keys records by the header and keeps values as strings", () => {
    expect(parseSv("step,loss\n0,0.5\n1,0.25\n", ",")).toEqual([
      { step: "0", loss: "0.5" },
      { step: "1", loss: "0.25" },
    ]);
  });

  it("header: false numbers the columns from 0", () => {
    expect(parsePlotData("a.csv", buf("1,0.5\n2,0.25\n"), false)).toEqual([
      { "0": "1", "1": "0.5" },
      { "0": "2", "1": "0.25" },
    ]);
  });

  it("handles quotes, doubled quotes, delimiters and newlines inside quotes, CRLF, blank lines", () => {
    const text = 'name,note\r\n"a, b","say ""hi"""\r\n\r\n"multi\nline",x\r\n';
    expect(splitRows(text, ",")).toEqual([
      ["name", "note"],
      ["a, b", 'say "hi"'],
      ["multi\nline", "x"],
    ]);
  });

  it("gives null for missing trailing values and skips empty lines (no quotes: fast path)", () => {
    expect(parseSv("a,b,c\n1,2\n\n3,4,5", ",")).toEqual([
      { a: "1", b: "2", c: null },
      { a: "3", b: "4", c: "5" },
    ]);
  });

  it("reads TSV by extension and drops a UTF-8 byte order mark", () => {
    expect(parsePlotData("m.tsv", buf("\ufeffx\ty\n1\t2\n"))).toEqual([{ x: "1", y: "2" }]);
  });
});

describe("JSON, YAML and unsupported files", () => {
  it("parses JSON and YAML as they are", () => {
    expect(parsePlotData("a.json", buf('[{"x": 1, "y": 2.5}]'))).toEqual([{ x: 1, y: 2.5 }]);
    expect(parsePlotData("a.yaml", buf("train:\n  - {x: 1, y: 2}\n"))).toEqual({ train: [{ x: 1, y: 2 }] });
  });

  it("reports DVC's error types", () => {
    const typeOf = (path: string, bytes: Buffer): string => {
      try {
        parsePlotData(path, bytes);
      } catch (err) {
        if (err instanceof PlotDataError) return err.type;
        throw err;
      }
      return "none";
    };
    expect(typeOf("a.txt", buf("x"))).toBe("PlotMetricTypeError");
    expect(typeOf("a.CSV", buf("x"))).toBe("PlotMetricTypeError"); // extensions are case-sensitive, as in DVC
    expect(typeOf("a.json", buf("{"))).toBe("JSONFileCorruptedError");
    expect(typeOf("a.yaml", buf("a: [1,"))).toBe("YAMLFileCorruptedError");
    expect(typeOf("a.csv", Buffer.from([0xff, 0xfe, 0x41]))).toBe("EncodingError");
  });

  it("knows DVC's image extensions", () => {
    expect(["a.png", "b.jpg", "c.jpeg", "d.gif", "e.svg"].every(isImagePath)).toBe(true);
    expect(isImagePath("a.csv")).toBe(false);
  });
});

describe("datapoints (DVC's get_datapoints)", () => {
  it("finds lists in nested mappings", () => {
    expect(listsIn({ a: [1], b: { c: [2], d: 3 } })).toEqual([[1], [2]]);
    expect(listsIn([{ x: 1 }])).toEqual([[{ x: 1 }]]);
  });

  it("merges datapoint lists index by index and ignores lists with mixed keys", () => {
    const blob = {
      train: [{ loss: 1 }, { loss: 0.5 }],
      val: [{ val_loss: 2 }, { val_loss: 1 }],
      odd: [{ a: 1 }, { b: 2 }],
      scalars: [1, 2],
    };
    expect(datapointsOf(blob)).toEqual([
      { loss: 1, val_loss: 2 },
      { loss: 0.5, val_loss: 1 },
    ]);
  });
});
