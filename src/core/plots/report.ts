// Writing what `dvx plots` produces: the self-contained HTML report (charts drawn to SVG here, in Node) and DVC's
// `--json` document with the image files it points at. Everything is written atomically under the output directory.
import { join } from "node:path";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { buildVegaPlot } from "../../plots/build.js";
import { decimateDatapoints } from "../../plots/downsample.js";
import { htmlPage, imageMime, type PageItem } from "../../plots/html-page.js";
import { imageFileName, plotsJson, type PlotsJson } from "../../plots/json-report.js";
import { extensionOf } from "../../plots/parse-data.js";
import { staticSpec } from "../../plots/static-spec.js";
import type { ImagePlot, Plot, PlotError, PreparedVega } from "../../plots/types.js";
import type { Gathered } from "./gather.js";

/** DVC's line templates: their data can be thinned per series without changing the picture. */
const LINE_TEMPLATES = new Set(["linear", "simple", "smooth"]);
/** x-steps per chart when thinning (3 px each on DVC's 300 px plots); each keeps at most 4 points per series. */
const BUCKETS = 100;

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

/** The plot to draw: line plots of DVC's templates thinned per series first (before the template is filled). */
function forDrawing(p: PreparedVega): { plot: PreparedVega; note?: string } {
  const { x, y } = p.props;
  if (!p.template.builtin || !LINE_TEMPLATES.has(p.template.name)) return { plot: p };
  const thin = decimateDatapoints(p.datapoints, x, y, BUCKETS);
  if (!thin || thin.datapoints.length === p.datapoints.length) return { plot: p };
  return {
    plot: { ...p, datapoints: thin.datapoints },
    note:
      `Drawn from ${count(thin.datapoints.length)} of ${count(p.datapoints.length)} points: each line keeps the ` +
      `first, last, lowest and highest point of every 1/${BUCKETS} of its x range (the same picture; ` +
      `--json has every point).`,
  };
}

function imagesItem(p: ImagePlot): PageItem {
  return {
    kind: "images",
    id: p.id,
    images: p.images.map((im) => ({
      rev: im.rev,
      mime: imageMime(extensionOf(im.path)),
      base64: im.bytes.toString("base64"),
    })),
  };
}

export async function writeHtmlReport(g: Gathered, outDir: string, title: string): Promise<HtmlReport> {
  const { renderSvg, ChartRenderError } = await import("../../plots/render-svg.js");
  const items: PageItem[] = [];
  const errors: PlotError[] = [...g.errors];
  const counts = { charts: 0, images: 0, failed: 0, thinned: 0 };
  for (const p of g.plots) {
    if (p.kind === "image") {
      counts.images += p.images.length;
      items.push(imagesItem(p));
      continue;
    }
    if (p.datapoints.length === 0) {
      items.push({ kind: "empty", id: p.id });
      continue;
    }
    const { plot, note } = forDrawing(p);
    const built = buildVegaPlot(plot);
    if (!("kind" in built)) {
      errors.push(built);
      counts.failed++;
      items.push({ kind: "failed", id: p.id, msg: built.msg });
      continue;
    }
    try {
      const { svg } = await renderSvg(staticSpec(built.content));
      counts.charts++;
      if (note) counts.thinned++;
      items.push({ kind: "chart", id: p.id, svg, ...(note ? { note } : {}) });
    } catch (err) {
      if (!(err instanceof ChartRenderError)) throw err;
      counts.failed++;
      items.push({ kind: "failed", id: p.id, msg: err.message });
    }
  }
  const html = htmlPage({ title, revisions: g.revisions, items, errors });
  const path = join(outDir, "index.html");
  await writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html), ...counts };
}

/** DVC's `--json`: every template filled with every datapoint; image plots written to `outDir` (absolute URLs). */
export async function jsonReport(g: Gathered, outDir: string): Promise<PlotsJson> {
  const plots: Plot[] = [];
  const errors: PlotError[] = [...g.errors];
  const writes: Promise<void>[] = [];
  const url = (rev: string, path: string): string => join(outDir, imageFileName(rev, path));
  for (const p of g.plots) {
    if (p.kind === "image") {
      plots.push(p);
      for (const im of p.images) writes.push(writeFileAtomic(url(im.rev, im.path), im.bytes));
      continue;
    }
    const built = buildVegaPlot(p);
    if ("kind" in built) plots.push(built);
    else errors.push(built);
  }
  await Promise.all(writes);
  return plotsJson(plots, errors, url);
}
