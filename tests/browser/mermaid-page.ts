// Mermaid's own code on Markdown that dvx writes: every ```mermaid block of a document is parsed (`mermaid.parse`)
// and drawn (`mermaid.render`) by the `mermaid` package (a devDependency) in a page of headless Chromium, network
// off. Each block's answer: the diagram type, the drawn line paths and their colours, or the error Mermaid threw.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { resultOf, runChromium } from "./chromium.js";

export interface MermaidBlockResult {
  type?: string;
  lines?: number;
  colours?: string[];
  error?: string;
}

/** The contents of the ```mermaid blocks of a Markdown document, in order. */
export const mermaidBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Parses and renders `blocks` in Chromium, with the checking page written into `dir`. */
export function checkMermaid(blocks: string[], dir: string): MermaidBlockResult[] {
  const mermaidJs = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  const page = join(dir, "mermaid.html");
  writeFileSync(
    page,
    `<!DOCTYPE html><html><body><pre id="result">pending</pre><div id="out"></div>` +
      `<script src="${pathToFileURL(mermaidJs).href}"></script><script>
const blocks = ${JSON.stringify(blocks).replace(/</g, "\\u003c")};
(async () => {
  mermaid.initialize({ startOnLoad: false });
  const out = [];
  for (let i = 0; i < blocks.length; i++) {
    try {
      const parsed = await mermaid.parse(blocks[i]);
      const { svg } = await mermaid.render("chart" + i, blocks[i]);
      const holder = document.createElement("div");
      holder.innerHTML = svg;
      document.getElementById("out").appendChild(holder);
      const paths = [...holder.querySelectorAll("g[class^=line-plot] > path")];
      out.push({
        type: parsed.diagramType,
        lines: paths.filter((p) => p.getBBox().width > 0).length,
        colours: paths.map((p) => p.getAttribute("stroke")),
      });
    } catch (e) {
      out.push({ error: String(e && e.message || e) });
    }
  }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>`,
  );
  const run = runChromium(page, ["--allow-file-access-from-files", "--virtual-time-budget=30000", "--dump-dom"]);
  return resultOf(run.stdout) as MermaidBlockResult[];
}
