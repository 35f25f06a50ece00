// dvc-render's template filling, on DVC's own templates (templates/plots/) and on small custom ones.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchor, escapeField, fillAnchor, fillTemplate, hasAnchor, TemplateError } from "../../../src/plots/fill.js";
import type { Datapoint } from "../../../src/plots/types.js";

const template = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, "../../../templates/plots", `${name}.json`), "utf8"));
const text = (v: unknown): string => JSON.stringify(v);
/** The value at a dotted path ("layer.0.transform.0") of a filled spec. */
const dig = (v: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);

const single: Datapoint[] = [
  { step: 0, loss: "1", rev: "HEAD", filename: "loss.csv", field: "loss" },
  { step: 0, loss: "0.5", rev: "workspace", filename: "loss.csv", field: "loss" },
];
const singleProps = {
  title: "loss.csv",
  x: "step",
  y: "loss",
  x_label: "step",
  y_label: "loss",
  anchors_y_definitions: [{ filename: "loss.csv", field: "loss" }],
  revs_with_datapoints: ["HEAD", "workspace"],
};

describe("anchors", () => {
  it("hasAnchor finds exact strings under mappings (and lists in mappings)", () => {
    expect(hasAnchor({ a: [{ b: anchor("x") }] }, "x")).toBe(true);
    expect(hasAnchor({ a: `prefix ${anchor("x")}` }, "x")).toBe(false);
  });

  it("fillAnchor replaces whole values by any JSON, and substrings only by text", () => {
    expect(fillAnchor({ a: anchor("x"), b: [anchor("x")], c: `sum(${anchor("x")})` }, "x", "f")).toEqual({
      a: "f",
      b: ["f"],
      c: "sum(f)",
    });
    expect(fillAnchor({ a: anchor("x"), c: `sum(${anchor("x")})` }, "x", { k: 1 })).toEqual({
      a: { k: 1 },
      c: `sum(${anchor("x")})`,
    });
  });

  it("escapes Vega's path characters in field names", () => {
    expect(escapeField("metrics.acc[0]")).toBe("metrics\\.acc\\[0\\]");
  });
});

describe("fillTemplate with DVC's templates", () => {
  it("linear, one source: colour per revision, grouping by rev, empty stroke dash; filename/field dropped", () => {
    const { content, datapoints } = fillTemplate(template("linear"), "linear", single, singleProps);
    const c = content;
    expect(text(c)).not.toContain("<DVC_METRIC_");
    expect(dig(c, "title")).toEqual({ text: "loss.csv", anchor: "middle" });
    expect(dig(c, "width")).toBe(300);
    expect(dig(c, "encoding.color")).toEqual({
      field: "rev",
      scale: { domain: ["HEAD", "workspace"], range: ["#945dd6", "#13adc7"] },
    });
    expect(dig(c, "encoding.strokeDash")).toEqual({});
    expect(dig(c, "layer.0.transform.0")).toEqual({
      loess: "loss",
      on: "step",
      groupby: ["rev"],
      bandwidth: { signal: "smooth" },
    });
    expect(dig(c, "layer.3.transform.0")).toEqual({ calculate: "datum.rev", as: "pivot_field" });
    expect(dig(c, "layer.0.layer.0.params.0")).toEqual({ name: "grid", select: "interval", bind: "scales" });
    expect(datapoints).toEqual([
      { step: 0, loss: "1", rev: "HEAD" },
      { step: 0, loss: "0.5", rev: "workspace" },
    ]);
    expect(dig(c, "data.values")).toEqual(datapoints);
  });

  it("simple, two fields of one file: stroke dash by field, with DVC's legend", () => {
    const points: Datapoint[] = [
      { step: 0, a: 1, dvc_inferred_y_value: 1, rev: "w", filename: "m.csv", field: "a" },
      { step: 0, b: 2, dvc_inferred_y_value: 2, rev: "w", filename: "m.csv", field: "b" },
    ];
    const props = {
      title: "m",
      x: "step",
      y: "dvc_inferred_y_value",
      x_label: "step",
      y_label: "y",
      anchors_y_definitions: [
        { filename: "m.csv", field: "a" },
        { filename: "m.csv", field: "b" },
      ],
    };
    const { content, datapoints } = fillTemplate(template("simple"), "simple", points, props);
    const c = content;
    expect(dig(c, "encoding.strokeDash")).toEqual({
      field: "field",
      scale: {
        domain: ["a", "b"],
        range: [
          [1, 0],
          [8, 8],
        ],
      },
      legend: { symbolFillColor: "transparent", symbolStrokeColor: "grey" },
    });
    expect(dig(c, "encoding.tooltip")).toEqual([
      { field: "rev" },
      { field: "step" },
      { field: "dvc_inferred_y_value" },
      { field: "field" },
    ]);
    expect(datapoints.map((d) => Object.keys(d))).toEqual([
      ["step", "a", "dvc_inferred_y_value", "rev", "field"],
      ["step", "b", "dvc_inferred_y_value", "rev", "field"],
    ]);
  });

  it("several files and fields: the joined filename::field key", () => {
    const points: Datapoint[] = [
      { step: 0, v: 1, rev: "w", filename: "a.csv", field: "x" },
      { step: 0, v: 2, rev: "w", filename: "b.csv", field: "y" },
    ];
    const props = {
      ...singleProps,
      y: "v",
      anchors_y_definitions: [
        { filename: "a.csv", field: "x" },
        { filename: "b.csv", field: "y" },
      ],
    };
    const { content, datapoints } = fillTemplate(template("confusion"), "confusion", points, props);
    const c = content;
    expect(dig(c, "facet.row")).toEqual({ field: "filename::field", sort: [] });
    expect(dig(c, "spec.transform.1.groupby")).toEqual(["rev", "filename::field", "v"]);
    expect(datapoints[1]).toEqual({ step: 0, v: 2, rev: "w", "filename::field": "b.csv::y" });
  });

  it("every built-in template fills without leftover anchors", () => {
    for (const name of ["simple", "linear", "smooth", "scatter", "scatter_jitter", "confusion", "confusion_normalized"])
      expect(text(fillTemplate(template(name), name, single, singleProps).content)).not.toContain("<DVC_METRIC_");
    const bars: Datapoint[] = [{ name: "a", imp: 1, rev: "w", filename: "f.json", field: "name" }];
    for (const name of ["bar_horizontal", "bar_horizontal_sorted"])
      expect(
        text(fillTemplate(template(name), name, bars, { ...singleProps, x: "imp", y: "name" }).content),
      ).not.toContain("<DVC_METRIC_");
  });

  it("a custom template with only the basic anchors keeps filename/field in the data", () => {
    const custom = { data: { values: anchor("data") }, mark: "line", encoding: { x: { field: anchor("x") } } };
    const { content, datapoints } = fillTemplate(custom, "mine", single, singleProps);
    expect(content).toEqual({ data: { values: single }, mark: "line", encoding: { x: { field: "step" } } });
    expect(datapoints[0]).toHaveProperty("filename", "loss.csv");
  });

  it("errors: a template without the data anchor, a field missing from every datapoint", () => {
    const type = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        if (e instanceof TemplateError) return e.type;
        throw e;
      }
      return "none";
    };
    expect(type(() => fillTemplate({ mark: "line" }, "bad", single, singleProps))).toBe("BadTemplateError");
    expect(type(() => fillTemplate(template("simple"), "simple", single, { ...singleProps, y: "nope" }))).toBe(
      "NoFieldInDataError",
    );
    expect(fillTemplate(template("simple"), "simple", [], singleProps).content).toEqual({});
  });
});
