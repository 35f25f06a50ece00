// The plots report in a real browser: Debian's headless Chromium, network off (README.md here has the flags).
// - the HTML that `dvx plots diff` writes is loaded unmodified in a frame of a checking page; every chart's SVG
//   must have its marks (lines, points, rects with a size) and axis labels, images must decode, and the report
//   must not have loaded anything;
// - the Markdown of `plots diff --md` is parsed and drawn by Mermaid's own code (the mermaid package).
// A screenshot and a copy of the report are kept in a temp dir whose path is printed.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { threeRevisions } from "../helpers/plots-repo.js";
import { chromiumAvailable, CHROMIUM, isolation, resultOf, runChromium } from "./chromium.js";
import { checkMermaid, mermaidBlocks } from "./mermaid-page.js";

/** Runs in the checking page: inspects the report inside the frame and writes JSON into <pre id="result">. */
const CHECK_REPORT = `
const frame = document.getElementById("report");
frame.addEventListener("load", () => {
  const doc = frame.contentDocument;
  const visible = (el) => { const b = el.getBBox(); return b.width > 0 || b.height > 0; };
  const count = (root, sel) => [...root.querySelectorAll(sel)].filter(visible).length;
  const texts = (root, sel) => [...root.querySelectorAll(sel)].map((t) => t.textContent.trim()).filter(Boolean);
  const sections = [...doc.querySelectorAll("section.plot")].map((s) => {
    const svg = s.querySelector("svg");
    return {
      id: s.querySelector("h2").textContent,
      svg: Boolean(svg),
      lines: svg ? count(svg, "g.role-mark.mark-line > path") : 0,
      points: svg ? count(svg, "g.role-mark.mark-symbol > path") : 0,
      rects: svg ? count(svg, "g.role-mark.mark-rect > path") : 0,
      axisLabels: svg ? texts(svg, "g.role-axis-label text").length : 0,
      axisTitles: svg ? texts(svg, "g.role-axis-title text") : [],
      legend: svg ? texts(svg, "g.role-legend-label text") : [],
      images: [...s.querySelectorAll("img")].map((i) => i.naturalWidth),
    };
  });
  const resources = frame.contentWindow.performance.getEntriesByType("resource").map((e) => e.name);
  const scripts = doc.querySelectorAll("script").length;
  document.getElementById("result").textContent = JSON.stringify({ sections, resources, scripts });
});`;

interface Section {
  id: string;
  svg: boolean;
  lines: number;
  points: number;
  rects: number;
  axisLabels: number;
  axisTitles: string[];
  legend: string[];
  images: number[];
}

describe.skipIf(!chromiumAvailable())(`plots in headless Chromium (${CHROMIUM}, network off)`, () => {
  it("every chart of the report has its marks and axis labels; images decode; nothing is loaded", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "diff", "HEAD~2", "HEAD~1", "HEAD");
    expect(r.code).toBe(0);
    const reportDir = join(repo.dir, "dvc_plots");
    writeFileSync(
      join(reportDir, "check.html"),
      `<!DOCTYPE html><html><body><pre id="result">pending</pre>` +
        `<iframe id="report" src="index.html" width="1400" height="2400"></iframe>` +
        `<script>${CHECK_REPORT}</script></body></html>`,
    );
    const run = runChromium(join(reportDir, "check.html"), [
      "--allow-file-access-from-files",
      "--virtual-time-budget=20000",
      "--dump-dom",
    ]);
    const res = resultOf(run.stdout) as { sections: Section[]; resources: string[]; scripts: number };
    expect(res.resources).toEqual([]);
    expect(res.scripts).toBe(0);
    const byId = new Map(res.sections.map((s) => [s.id, s]));
    expect([...byId.keys()]).toEqual(["Accuracy", "eval/importance.json", "loss.csv", "eval/conf.json", "roc.png"]);
    for (const s of res.sections.filter((x) => x.svg)) {
      expect(s.lines + s.points + s.rects, s.id).toBeGreaterThan(0);
      expect(s.axisLabels, s.id).toBeGreaterThan(2);
      expect(s.axisTitles.length, s.id).toBeGreaterThanOrEqual(2);
    }
    // revisions overlaid, with a legend: a line per revision (raw + smoothed layers), per field for Accuracy
    expect(byId.get("loss.csv")).toMatchObject({ lines: 6, axisTitles: ["epoch", "loss"] });
    expect(byId.get("loss.csv")!.legend).toEqual(["HEAD~2", "HEAD~1", "HEAD"]);
    expect(byId.get("Accuracy")!.lines).toBe(12);
    expect(byId.get("Accuracy")!.legend).toEqual(expect.arrayContaining(["HEAD~2", "HEAD", "acc", "loss"]));
    // the confusion matrix is a heat map: 3 × 3 cells per revision
    expect(byId.get("eval/conf.json")!.rects).toBe(27);
    // bars: 2 features × 3 revisions
    expect(byId.get("eval/importance.json")!.rects).toBe(6);
    // images side by side, one per revision, decoded
    expect(byId.get("roc.png")).toMatchObject({ svg: false, images: [1, 1, 1] });

    const keep = mkdtempSync(join(tmpdir(), "dvx-plots-browser-"));
    const shot = join(keep, "plots-report.png");
    const s = runChromium(join(reportDir, "index.html"), [
      `--screenshot=${shot}`,
      "--window-size=1400,2000",
      "--hide-scrollbars",
    ]);
    expect(existsSync(shot), s.stderr.slice(-2000)).toBe(true);
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    copyFileSync(join(reportDir, "index.html"), join(keep, "index.html"));
    console.log(`plots report (network: ${isolation()}): screenshot ${shot}, page ${join(keep, "index.html")}`);
  });

  it("the Markdown of plots diff --md parses and draws with Mermaid's own code", async () => {
    const repo = await threeRevisions();
    const r = await repo.run("plots", "diff", "HEAD~2", "HEAD~1", "HEAD", "--md");
    expect(r.code).toBe(0);
    const blocks = mermaidBlocks(r.stdout);
    expect(blocks).toHaveLength(2);
    const res = checkMermaid(blocks, repo.dir);
    // Accuracy: 2 fields × 3 revisions; loss.csv: 3 revisions — in the legend's palette order
    expect(res).toEqual([
      { type: "xychart", lines: 6, colours: ["#945dd6", "#4299e1", "#f46837", "#48bb78", "#f56565", "#ecc94b"] },
      { type: "xychart", lines: 3, colours: ["#945dd6", "#4299e1", "#f46837"] },
    ]);
    const md = readFileSync(join(repo.dir, "mermaid.html"), "utf8");
    expect(md).toContain("xychart-beta");
  });
});
