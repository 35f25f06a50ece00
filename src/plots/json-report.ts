// `plots show/diff --json` in DVC's shape: {"data": {name: [...]}, "errors": [...]}, empty keys left out.
// A Vega plot is [{type: "vega", revisions, content}] (content = the filled spec, data included; [] without
// data); an image plot is one {type: "image", revisions: [rev], url} per revision.
import type { Plot, PlotError } from "./types.js";

export interface PlotsJson {
  data?: Record<string, unknown[]>;
  errors?: Record<string, unknown>[];
}

/** `imageUrl` names where an image of `rev` is (DVC writes them into the output directory). */
export function plotsJson(
  plots: readonly Plot[],
  errors: readonly PlotError[],
  imageUrl: (rev: string, path: string) => string,
): PlotsJson {
  const data: Record<string, unknown[]> = {};
  for (const p of plots) {
    if (p.kind === "image")
      data[p.id] = p.images.map((im) => ({ type: "image", revisions: [im.rev], url: imageUrl(im.rev, im.path) }));
    else data[p.id] = p.datapoints.length === 0 ? [] : [{ type: "vega", revisions: p.revisions, content: p.content }];
  }
  const out: PlotsJson = {};
  if (errors.length > 0)
    out.errors = errors.map((e) => ({
      ...(e.name !== undefined ? { name: e.name } : {}),
      rev: e.rev,
      ...(e.source !== undefined ? { source: e.source } : {}),
      type: e.type,
      msg: e.msg,
    }));
  if (Object.keys(data).length > 0) out.data = data;
  return out;
}

/** DVC's file name for an image of `rev` in the output directory: "<rev>_<path with / as _>". */
export const imageFileName = (rev: string, path: string): string => `${rev}_${path}`.replace(/[/\\]/g, "_");
