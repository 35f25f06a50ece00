// The plots report: one self-contained HTML file. Charts are inline SVG and images are data: URLs, so it shows
// everything offline and without JavaScript; a Content-Security-Policy forbids loading anything else.
import type { PlotError } from "./types.js";

export type PageItem =
  | { kind: "chart"; id: string; svg: string; note?: string }
  | { kind: "failed"; id: string; msg: string }
  | { kind: "empty"; id: string }
  | { kind: "images"; id: string; images: { rev: string; mime: string; base64: string }[] };

export interface Page {
  title: string;
  revisions: string[];
  items: PageItem[];
  errors: PlotError[];
}

const MIME: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
};
export const imageMime = (ext: string): string => MIME[ext.toLowerCase()] ?? "application/octet-stream";

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Prefixes the ids an SVG defines (clip paths, gradients) so that several charts can share one document. */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}${id})`)
    .replace(/((?:xlink:)?href)="#([^"]+)"/g, (_m, attr: string, id: string) => `${attr}="#${prefix}${id}"`);
}

/** Nothing may load from anywhere: images only from data: URLs, styles only inline, no scripts. */
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 4px}
.revs{color:#555;margin:0 0 20px}
.plots{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}
section.plot{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:12px 16px;max-width:100%}
section.plot h2{font-size:14px;font-weight:600;margin:0 0 8px;word-break:break-all}
.chart svg{max-width:100%;height:auto;display:block}
.note{color:#777;font-size:12px;margin:6px 0 0;max-width:460px}
.images{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0}
figure img{max-width:420px;max-height:420px;border:1px solid #eee;display:block}
figcaption{font-size:12px;color:#555;margin-top:4px;text-align:center}
.failed{color:#a00;font-size:13px}
.errors{margin-top:28px;font-size:13px}
.errors li{color:#a00}
`;

function item(it: PageItem, index: number): string {
  const head = `<section class="plot" id="plot-${index}"><h2>${escapeHtml(it.id)}</h2>`;
  switch (it.kind) {
    case "chart":
      return (
        `${head}<div class="chart">${scopeSvgIds(it.svg, `p${index}-`)}</div>` +
        `${it.note ? `<p class="note">${escapeHtml(it.note)}</p>` : ""}</section>`
      );
    case "failed":
      return `${head}<p class="failed">could not draw this plot: ${escapeHtml(it.msg)}</p></section>`;
    case "empty":
      return `${head}<p class="note">no data at any revision</p></section>`;
    case "images":
      return (
        `${head}<div class="images">` +
        it.images
          .map(
            (im) =>
              `<figure><img alt="${escapeHtml(`${it.id} at ${im.rev}`)}" src="data:${im.mime};base64,${im.base64}">` +
              `<figcaption>${escapeHtml(im.rev)}</figcaption></figure>`,
          )
          .join("") +
        `</div></section>`
      );
  }
}

function errorList(errors: PlotError[]): string {
  if (errors.length === 0) return "";
  const li = errors.map(
    (e) => `<li>${escapeHtml([e.rev, e.source ?? e.name].filter(Boolean).join(": "))}: ${escapeHtml(e.msg)}</li>`,
  );
  return `<section class="errors"><h2>Could not read</h2><ul>${li.join("")}</ul></section>`;
}

export function htmlPage(page: Page): string {
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head><body>\n` +
    `<h1>${escapeHtml(page.title)}</h1>` +
    `<p class="revs">${page.revisions.length === 1 ? "Revision" : "Revisions"}: ` +
    `${page.revisions.map((r) => `<b>${escapeHtml(r)}</b>`).join(", ") || "none"}</p>\n` +
    `<div class="plots">\n${page.items.map((it, i) => item(it, i)).join("\n")}\n</div>\n` +
    `${errorList(page.errors)}\n</body></html>\n`
  );
}
