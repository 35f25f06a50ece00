// The sticky comment's body: marker line, report names, and cutting under GitHub's limit with a note.
import { describe, expect, it } from "vitest";
import {
  COMMENT_LIMIT,
  cutBody,
  cutNote,
  invalidReportName,
  markerFor,
  markerName,
  withMarker,
} from "../../../src/report/comment-body.js";

describe("marker", () => {
  it("puts exactly one marker line at the top, replacing a report's own", () => {
    expect(withMarker("## Metrics\n", "train")).toBe("<!-- dvx-report: train -->\n## Metrics\n");
    expect(withMarker("<!-- dvx-report: old -->\n## Metrics\n", "new")).toBe("<!-- dvx-report: new -->\n## Metrics\n");
    expect(withMarker("<!-- dvx-report: a -->\r\nx", "a")).toBe("<!-- dvx-report: a -->\nx");
  });

  it("reads the name only from the first line (a quoted marker elsewhere does not count)", () => {
    expect(markerName(`${markerFor("eval")}\nbody`)).toBe("eval");
    expect(markerName(`${markerFor("eval")}\r\nbody edited on the web`)).toBe("eval");
    expect(markerName(`> ${markerFor("eval")}\nquoted`)).toBeUndefined();
    expect(markerName(`text\n${markerFor("eval")}`)).toBeUndefined();
    expect(markerName(null)).toBeUndefined();
  });

  it("rejects names that would break the marker", () => {
    expect(invalidReportName("train/eval 2")).toBeUndefined();
    for (const bad of ["", " x", "a-->b", "a--b", "a>b", "a\nb", "x".repeat(101)])
      expect(invalidReportName(bad), bad).toBeDefined();
  });
});

describe("cutBody", () => {
  const note = (i: Parameters<typeof cutNote>[0]): string => cutNote(i, "the job summary");

  it("leaves a body that fits alone", () => {
    const body = "x".repeat(COMMENT_LIMIT);
    expect(cutBody(body, COMMENT_LIMIT, note)).toEqual({ body, cut: undefined });
  });

  it("cuts at a line end, names what was left out, and stays under the limit", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"-".repeat(20)}`);
    const body = `# Report\n\n## Metrics\n\nacc\n\n## Data\n\n${lines.join("\n")}\n\n## Plots\n\np\n\n### Loss\n\nl\n`;
    const { body: out, cut } = cutBody(body, COMMENT_LIMIT, note);
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out.length).toBeGreaterThan(COMMENT_LIMIT - 2000);
    expect(cut).toMatchObject({ partialSection: "Data", omittedSections: ["Plots", "Loss"] });
    const kept = out.slice(0, cut!.keptLength);
    expect(body.startsWith(kept)).toBe(true);
    expect(kept.endsWith("\n")).toBe(true);
    expect(cut!.originalLength - cut!.keptLength).toBe(body.length - kept.length);
    expect(out).toContain('the end of "Data" and the sections "Plots", "Loss". The full report is in the job summary.');
  });

  it("closes a code fence and <details> left open, and ignores headings inside code", () => {
    const code = Array.from({ length: 400 }, (_, i) => `# not a heading ${i}`).join("\n");
    const body = `## Rows\n\n<details><summary>sample</summary>\n\n\`\`\`diff\n${code}\n\`\`\`\n</details>\n\n## After\n`;
    const { body: out, cut } = cutBody(body, 5000, note);
    expect(out.length).toBeLessThanOrEqual(5000);
    const tail = out.slice(cut!.keptLength);
    expect(tail.startsWith("```\n</details>\n")).toBe(true);
    expect(cut!.omittedSections).toEqual(["After"]);
    expect(cut!.partialSection).toBe("Rows");
  });

  it("never splits a surrogate pair when a single line is too long", () => {
    const body = "😀".repeat(40_000); // 80,000 UTF-16 units, no line break
    const { body: out } = cutBody(body, COMMENT_LIMIT, note);
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
