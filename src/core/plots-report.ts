// Writing what `dvx plots` produces: the self-contained HTML report (charts drawn to SVG here, in Node) and the
// image files DVC's `--json` points at. Everything is written atomically under the output directory.
import { join } from "node:path";
import { writeFileAtomic } from "../fsx/atomic.js";
import { decimateDatapoints } from "../plots/downsample.js";
import { htmlPage, imageMime, type PageItem } from "../plots/html-page.js";
import { imageFileName, plotsJson, type PlotsJson } from "../plots/json-report.js";
import { extensionOf } from "../plots/parse-data.js";
import { toNumber } from "../plots/series.js";
import { staticSpec } from "../plots/static-spec.js";
import type { VegaPlot } from "../plots/types.js";
import type { Gathered } from "./plots-gather.js";

/** DVC's line templates: their data can be thinned per series without changing the picture. */
const LINE_TEMPLATES = new Set(["linear", "simple", "smooth"]);
/** x-steps per chart when thinning (2 px each on DVC's 300 px plots); each keeps at most 4 points per series. */
const BUCKETS = 150;

export interface HtmlReport {
  path: string;
  bytes: number;
  charts: number;
  images: number;
  failed: number;
  /** Charts drawn from fewer points than their data has. */
  thinned: number;
}

const count = (n: number): string => n.toLocaleString("en-US");

function drawable(p: VegaPlot): { spec: Record<string, unknown>; note?: string } {
  if (
    !p.builtin ||
    !LINE_TEMPLATES.has(p.template) ||
    !p.datapoints.every((d) => Number.isFinite(toNumber(d[p.props.x])))
  )
    return { spec: staticSpec(p.content) };
  const thin = decimateDatapoints(p.datapoints, p.props.x, p.props.y, BUCKETS);
  if (thin.datapoints.length === p.datapoints.length) return { spec: staticSpec(p.content) };
  const data = { ...(p.content.data as Record<string, unknown>), values: thin.datapoints };
  return {
    spec: staticSpec({ ...p.content, data }),
    note:
      `Drawn from ${count(thin.datapoints.length)} of ${count(p.datapoints.length)} ` +
      `points: each line keeps the first, last, lowest and highest point of every ${BUCKETS}th of its x range ` +
      `(the picture is the same; --json has every point).`,
  };
}

export async function writeHtmlReport(g: Gathered, outDir: string, title: string): Promise<HtmlReport> {
  const { renderSvg, ChartRenderError } = await import("../plots/render-svg.js");
  const items: PageItem[] = [];
  const counts = { charts: 0, images: 0, failed: 0, thinned: 0 };
  for (const p of g.plots) {
    if (p.kind === "image") {
      counts.images += p.images.length;
      items.push({
        kind: "images",
        id: p.id,
        images: p.images.map((im) => ({
          rev: im.rev,
          mime: imageMime(extensionOf(im.path)),
          base64: im.bytes.toString("base64"),
        })),
      });
      continue;
    }
    if (p.datapoints.length === 0) {
      items.push({ kind: "empty", id: p.id });
      continue;
    }
    const { spec, note } = drawable(p);
    try {
      const { svg } = await renderSvg(spec);
      counts.charts++;
      if (note) counts.thinned++;
      items.push({ kind: "chart", id: p.id, svg, ...(note ? { note } : {}) });
    } catch (err) {
      if (!(err instanceof ChartRenderError)) throw err;
      counts.failed++;
      items.push({ kind: "failed", id: p.id, msg: err.message });
    }
  }
  const html = htmlPage({ title, revisions: g.revisions, items, errors: g.errors });
  const path = join(outDir, "index.html");
  await writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html), ...counts };
}

/** DVC's `--json`; image plots are written to `outDir` and named by absolute path, as DVC does. */
export async function jsonReport(g: Gathered, outDir: string): Promise<PlotsJson> {
  const writes: Promise<void>[] = [];
  const url = (rev: string, path: string): string => join(outDir, imageFileName(rev, path));
  for (const p of g.plots)
    if (p.kind === "image") for (const im of p.images) writes.push(writeFileAtomic(url(im.rev, im.path), im.bytes));
  await Promise.all(writes);
  return plotsJson(g.plots, g.errors, url);
}
