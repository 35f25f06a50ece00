// A matched plot + its template → the filled spec (DVC's `content`), or a per-plot error.
import { fillTemplate, TemplateError } from "./fill.js";
import type { VegaInput } from "./match.js";
import type { PlotError, PreparedVega, TemplateRef, VegaPlot } from "./types.js";

/** Built-in template names, in DVC's order (`linear` is `smooth` under another name). */
export const BUILTIN_TEMPLATES = [
  "simple",
  "linear",
  "confusion",
  "confusion_normalized",
  "scatter",
  "scatter_jitter",
  "smooth",
  "bar_horizontal_sorted",
  "bar_horizontal",
] as const;

/** The template a plot asks for ("linear" when none, as DVC). */
export const templateNameOf = (input: VegaInput): string => input.props.template ?? "linear";

/** A matched plot with its template, its properties completed. */
export function prepareVega(input: VegaInput, template: TemplateRef): PreparedVega {
  const p = input.props;
  return {
    kind: "vega",
    id: input.id,
    revisions: input.revisions,
    datapoints: input.datapoints,
    template,
    props: {
      ...(p.template !== undefined ? { template: p.template } : {}),
      title: p.title,
      x: p.x ?? "step",
      y: p.y ?? "",
      x_label: p.x_label ?? p.x ?? "step",
      y_label: p.y_label ?? p.y ?? "",
      anchors_y_definitions: p.anchors_y_definitions ?? [],
      revs_with_datapoints: p.revs_with_datapoints ?? [],
    },
  };
}

/** Fills the plot's template with its datapoints (DVC's `content`), or says why it cannot. */
export function buildVegaPlot(p: PreparedVega): VegaPlot | PlotError {
  try {
    const filled = fillTemplate(p.template.content, p.template.name, p.datapoints, p.props);
    return {
      kind: "vega",
      id: p.id,
      revisions: p.revisions,
      props: p.props,
      template: p.template.name,
      builtin: p.template.builtin,
      content: filled.content,
      datapoints: filled.datapoints,
    };
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return { name: p.id, rev: p.revisions[0] ?? "workspace", type: err.type, msg: err.message };
  }
}
