// Revisions' definitions and data → one plot per id, revisions overlaid (DVC's match_defs_renderers): the first
// revision's definition wins, each revision's data is converted and tagged with its name, images are grouped
// per path. Failures are collected per plot and revision, never thrown.
import { flatDatapoints, PlotDefinitionError, type ConvertedProps } from "./convert.js";
import { dataSources, groupById } from "./definitions.js";
import { isImagePath } from "./parse-data.js";
import type { Datapoint, ParsedData, PlotError, PlotProps, RevisionPlots } from "./types.js";

export interface VegaInput {
  kind: "vega";
  id: string;
  revisions: string[];
  datapoints: Datapoint[];
  /** Converted properties plus title and revs_with_datapoints; empty when no revision had data. */
  props: Partial<ConvertedProps> & { title: string; revs_with_datapoints?: string[] };
}

export interface ImageInput {
  kind: "image";
  id: string;
  revisions: string[];
  images: { rev: string; path: string; bytes: Buffer }[];
}

export interface Matched {
  plots: (VegaInput | ImageInput)[];
  errors: PlotError[];
}

interface Member {
  rev: string;
  innerId: string;
  props: PlotProps;
}

export function matchPlots(revisions: readonly RevisionPlots[]): Matched {
  const groups = new Map<string, Member[]>();
  const byRev = new Map(revisions.map((r) => [r.rev, r]));
  for (const r of revisions)
    for (const [id, def] of groupById(r.definitions)) {
      let members = groups.get(id);
      if (!members) groups.set(id, (members = []));
      members.push({ rev: r.rev, innerId: def.innerId, props: def.props });
    }
  const plots: (VegaInput | ImageInput)[] = [];
  const errors: PlotError[] = [];
  for (const [id, members] of groups) {
    // the first revision's definition wins, key by key
    const props = members.reduceRight<PlotProps>((acc, m) => ({ ...acc, ...m.props }), {});
    const srcErrors: PlotError[] = [];
    const defErrors: PlotError[] = [];
    const revs: string[] = [];
    const image = members.some((m) => isImagePath(m.innerId));
    const name = image ? members[members.length - 1]!.innerId : id;
    const datapoints: Datapoint[] = [];
    const images: ImageInput["images"] = [];
    let first: Partial<ConvertedProps> | undefined;
    for (const m of members) {
      const rev = byRev.get(m.rev)!;
      const sources = dataSources(m.innerId, m.props);
      const data = new Map<string, ParsedData>();
      for (const src of sources) {
        const s = rev.sources.get(src);
        if (s?.kind === "error") srcErrors.push({ ...s.error, name: isImagePath(m.innerId) ? m.innerId : id });
        else if (s?.kind === "image") {
          images.push({ rev: m.rev, path: src, bytes: s.bytes });
          if (!revs.includes(m.rev)) revs.push(m.rev);
        } else if (s?.kind === "data" && isTruthy(s.data)) data.set(src, s.data);
      }
      if (isImagePath(m.innerId)) continue;
      try {
        const converted = flatDatapoints(m.innerId, props, data, m.rev);
        if (!converted) continue;
        if (!revs.includes(m.rev)) revs.push(m.rev);
        first ??= converted.props;
        datapoints.push(...converted.datapoints);
      } catch (err) {
        if (!(err instanceof PlotDefinitionError)) throw err;
        defErrors.push({ name: id, rev: m.rev, type: err.type, msg: err.message });
      }
    }
    errors.push(...srcErrors, ...defErrors);
    if (image) plots.push({ kind: "image", id: name, revisions: revs, images });
    else
      plots.push({
        kind: "vega",
        id,
        revisions: revs,
        datapoints,
        props: { ...first, title: first?.title ?? id, ...(revs.length > 0 ? { revs_with_datapoints: revs } : {}) },
      });
  }
  return { plots, errors };
}

/** Python truthiness of parsed data (DVC skips empty files). */
function isTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object" && v !== null) return Object.keys(v).length > 0;
  return Boolean(v);
}
