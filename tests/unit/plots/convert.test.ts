// DVC's VegaConverter.flat_datapoints: inferred x/y, several files and fields, labels, errors.
import { describe, expect, it } from "vitest";
import { flatDatapoints, PlotDefinitionError } from "../../../src/plots/convert.js";
import type { ParsedData } from "../../../src/plots/types.js";

const data = (entries: Record<string, ParsedData>): Map<string, ParsedData> => new Map(Object.entries(entries));
const loss = [
  { epoch: "1", loss: "0.9", acc: "0.5" },
  { epoch: "2", loss: "0.5", acc: "0.7" },
];

describe("flatDatapoints", () => {
  it("defaults x to the record index as `step` and y to the last field", () => {
    const r = flatDatapoints("loss.csv", {}, data({ "loss.csv": loss }), "HEAD");
    expect(r?.props).toMatchObject({ x: "step", y: "acc", x_label: "step", y_label: "acc" });
    expect(r?.datapoints).toEqual([
      { epoch: "1", loss: "0.9", acc: "0.5", step: 0, rev: "HEAD", filename: "loss.csv", field: "acc" },
      { epoch: "2", loss: "0.5", acc: "0.7", step: 1, rev: "HEAD", filename: "loss.csv", field: "acc" },
    ]);
    expect(r?.props.anchors_y_definitions).toEqual([{ filename: "loss.csv", field: "acc" }]);
  });

  it("uses the given x and y, and the given labels", () => {
    const r = flatDatapoints("loss.csv", { x: "epoch", y: "loss", y_label: "Loss" }, data({ "loss.csv": loss }), "w");
    expect(r?.props).toMatchObject({ x: "epoch", y: "loss", x_label: "epoch", y_label: "Loss" });
    expect(r?.datapoints[0]).not.toHaveProperty("step");
  });

  it("a list of y fields gives one series per field, under dvc_inferred_y_value", () => {
    const r = flatDatapoints("loss.csv", { x: "epoch", y: ["loss", "acc"] }, data({ "loss.csv": loss }), "w");
    expect(r?.props).toMatchObject({ x: "epoch", y: "dvc_inferred_y_value", y_label: "y" });
    expect(r?.datapoints.map((d) => [d.field, d.dvc_inferred_y_value])).toEqual([
      ["loss", "0.9"],
      ["loss", "0.5"],
      ["acc", "0.5"],
      ["acc", "0.7"],
    ]);
  });

  it("y from several files: short file names (common folder dropped), x copied per file", () => {
    const props = { x: "epoch", y: { "eval/train.csv": "loss", "eval/test.csv": "loss" } };
    const test = [
      { epoch: "1", loss: "1.1" },
      { epoch: "2", loss: "0.8" },
    ];
    const r = flatDatapoints("Loss", props, data({ "eval/train.csv": loss, "eval/test.csv": test }), "HEAD");
    expect(r?.props).toMatchObject({ x: "epoch", y: "loss", y_label: "loss" });
    expect(r?.props.anchors_y_definitions).toEqual([
      { filename: "train.csv", field: "loss" },
      { filename: "test.csv", field: "loss" },
    ]);
    expect(r?.datapoints.map((d) => d.filename)).toEqual(["train.csv", "train.csv", "test.csv", "test.csv"]);
  });

  it("x from other files with different fields becomes dvc_inferred_x_value", () => {
    const props = { x: { "a.csv": "ax", "b.csv": "bx" }, y: { "a.csv": "ay", "b.csv": "by" } };
    const r = flatDatapoints("p", props, data({ "a.csv": [{ ax: 1, ay: 2 }], "b.csv": [{ bx: 3, by: 4 }] }), "w");
    expect(r?.props).toMatchObject({ x: "dvc_inferred_x_value", y: "dvc_inferred_y_value", x_label: "x" });
    expect(r?.datapoints.map((d) => [d.dvc_inferred_x_value, d.dvc_inferred_y_value])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("returns null without data (the revision has nothing to draw)", () => {
    expect(flatDatapoints("loss.csv", {}, data({}), "HEAD")).toBeNull();
  });

  it("throws DVC's errors for unknown fields and unequal lengths", () => {
    const err = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        if (e instanceof PlotDefinitionError) return e.type;
        throw e;
      }
      return "none";
    };
    expect(err(() => flatDatapoints("loss.csv", { y: "nope" }, data({ "loss.csv": loss }), "w"))).toBe(
      "FieldNotFoundError",
    );
    const props = { x: { "a.csv": "x" }, y: { "b.csv": "y" } };
    expect(
      err(() => flatDatapoints("p", props, data({ "a.csv": [{ x: 1 }], "b.csv": [{ y: 1 }, { y: 2 }] }), "w")),
    ).toBe("DvcException");
  });
});
