// The plots of `dvx ci report` in a real browser: the Mermaid blocks of the report of a change to the example
// project (`dvx init --example`: a line plot of the training loss and a confusion matrix) are parsed and drawn by
// Mermaid's own code in headless Chromium (mermaid-page.ts), each with one line per side of the change.
import { describe, expect, it } from "vitest";
import { setParam } from "../helpers/example-template.js";
import { exampleRepo } from "../helpers/example-repo.js";
import { chromiumAvailable, CHROMIUM } from "./chromium.js";
import { checkMermaid, mermaidBlocks } from "./mermaid-page.js";

describe.skipIf(!chromiumAvailable())(`dvx ci report's Mermaid charts in headless Chromium (${CHROMIUM})`, () => {
  it("every Mermaid block of the example's report parses and draws, the base's and the head's line", async () => {
    const ex = await exampleRepo();
    setParam(ex.dir, "train.lr", "0.3");
    await ex.dvx("repro", "-q");
    const r = await ex.dvx("ci", "report", "--base", "HEAD", "--json");
    const { markdown } = r.json<{ markdown: string }>();
    // the loss curve is a chart; the confusion matrix is a table
    expect(markdown).toMatch(/#### plots\/loss\.csv\n\n```mermaid\n/);
    expect(markdown).toMatch(/#### plots\/confusion\.csv\n\n(?!```mermaid)/);
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(1);
    expect(checkMermaid(blocks, ex.root)).toEqual([{ type: "xychart", lines: 2, colours: ["#945dd6", "#4299e1"] }]);
  }, 60_000);
});
