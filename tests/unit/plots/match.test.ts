// Revisions → plots (DVC's match_defs_renderers), the static spec for drawing, and the HTML page.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { htmlPage, scopeSvgIds } from "../../../src/plots/html-page.js";
import { plotsJson } from "../../../src/plots/json-report.js";
import { matchPlots } from "../../../src/plots/match.js";
import { staticSpec } from "../../../src/plots/static-spec.js";
import type { PlotProps, RevisionPlots, SourceData } from "../../../src/plots/types.js";

function rev(name: string, defs: Record<string, PlotProps>, sources: Record<string, SourceData>): RevisionPlots {
  return {
    rev: name,
    definitions: new Map([["dvc.yaml", new Map(Object.entries(defs))]]),
    sources: new Map(Object.entries(sources)),
  };
}
const data = (d: unknown): SourceData => ({ kind: "data", props: {}, data: d });

describe("matchPlots", () => {
  it("overlays revisions: datapoints tagged by rev, the first revision's definition wins", () => {
    const m = matchPlots([
      rev("workspace", { "l.csv": { y: "loss", title: "new" } }, { "l.csv": data([{ loss: "1" }]) }),
      rev("HEAD", { "l.csv": { y: "loss", title: "old", x_label: "i" } }, { "l.csv": data([{ loss: "2" }]) }),
    ]);
    expect(m.errors).toEqual([]);
    const p = m.plots[0]!;
    expect(p.kind).toBe("vega");
    if (p.kind !== "vega") return;
    expect(p.revisions).toEqual(["workspace", "HEAD"]);
    expect(p.props).toMatchObject({ title: "new", x_label: "i", revs_with_datapoints: ["workspace", "HEAD"] });
    expect(p.datapoints.map((d) => [d.rev, d.loss])).toEqual([
      ["workspace", "1"],
      ["HEAD", "2"],
    ]);
  });

  it("keeps read errors per source and definition errors per revision; the title defaults to the id", () => {
    const missing: SourceData = {
      kind: "error",
      props: {},
      error: { rev: "HEAD", source: "l.csv", type: "FileNotFoundError", msg: "'l.csv' does not exist" },
    };
    const m = matchPlots([
      rev("workspace", { "l.csv": { y: "nope" } }, { "l.csv": data([{ loss: "1" }]) }),
      rev("HEAD", { "l.csv": { y: "nope" } }, { "l.csv": missing }),
    ]);
    expect(m.errors).toEqual([
      { name: "l.csv", rev: "HEAD", source: "l.csv", type: "FileNotFoundError", msg: "'l.csv' does not exist" },
      { name: "l.csv", rev: "workspace", type: "FieldNotFoundError", msg: expect.stringContaining("'nope'") },
    ]);
    expect(m.plots[0]).toMatchObject({ kind: "vega", revisions: [], datapoints: [], props: { title: "l.csv" } });
  });

  it("images: one plot per path with the bytes of each revision", () => {
    const png = (s: string): SourceData => ({ kind: "image", props: {}, bytes: Buffer.from(s) });
    const m = matchPlots([
      rev("workspace", { "roc.png": {} }, { "roc.png": png("new") }),
      rev("HEAD", { "roc.png": {} }, { "roc.png": png("old") }),
    ]);
    expect(m.plots).toEqual([
      {
        kind: "image",
        id: "roc.png",
        revisions: ["workspace", "HEAD"],
        images: [
          { rev: "workspace", path: "roc.png", bytes: Buffer.from("new") },
          { rev: "HEAD", path: "roc.png", bytes: Buffer.from("old") },
        ],
      },
    ]);
    expect(
      plotsJson(
        m.plots.filter((p) => p.kind === "image"),
        [],
        (r, p) => `/out/${r}_${p}`,
      ),
    ).toEqual({
      data: {
        "roc.png": [
          { type: "image", revisions: ["workspace"], url: "/out/workspace_roc.png" },
          { type: "image", revisions: ["HEAD"], url: "/out/HEAD_roc.png" },
        ],
      },
    });
  });
});

describe("staticSpec", () => {
  const linear = JSON.parse(readFileSync(join(__dirname, "../../../templates/plots/linear.json"), "utf8")) as Record<
    string,
    unknown
  >;

  it("drops DVC's hover-only layers (hover rule, hovered points) and nothing else", () => {
    const s = staticSpec(linear);
    const text = JSON.stringify(s);
    expect(text).not.toContain('"hover"');
    expect((s.layer as unknown[]).length).toBe(3);
    expect(text).toContain('"loess"');
    expect(text).toContain('"argmax"');
  });

  it("leaves a spec alone when something visible still uses the hover selection", () => {
    const spec = {
      params: [{ name: "hover", select: { type: "point", on: "mouseover" } }],
      layer: [{ mark: "rule", encoding: { opacity: { condition: { param: "hover", value: 1 }, value: 0 } } }],
      encoding: { color: { condition: { param: "hover", value: "red" }, value: "grey" } },
    };
    expect(staticSpec(spec)).toBe(spec);
  });
});

describe("htmlPage", () => {
  it("is self-contained: a CSP that loads nothing, escaped text, scoped SVG ids, data: images", () => {
    const html = htmlPage({
      title: "dvx plots",
      revisions: ["HEAD", "<ws>"],
      items: [
        { kind: "chart", id: "a<b>.csv", svg: '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>' },
        { kind: "images", id: "roc.png", images: [{ rev: "HEAD", mime: "image/png", base64: "AAAA" }] },
      ],
      errors: [{ rev: "HEAD", source: "x.csv", type: "FileNotFoundError", msg: "'x.csv' does not exist" }],
    });
    expect(html).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(html).toContain("a&lt;b&gt;.csv");
    expect(html).toContain("&lt;ws&gt;");
    expect(html).toContain('id="p0-clip1"');
    expect(html).toContain('clip-path="url(#p0-clip1)"');
    expect(html).toContain('src="data:image/png;base64,AAAA"');
    expect(html).toContain("HEAD: x.csv: &#39;x.csv&#39; does not exist");
  });

  it("scopeSvgIds rewrites definitions and references", () => {
    expect(scopeSvgIds('<a id="g1"/><use xlink:href="#g1"/><b fill="url(#g1)"/>', "p2-")).toBe(
      '<a id="p2-g1"/><use xlink:href="#p2-g1"/><b fill="url(#p2-g1)"/>',
    );
  });
});
