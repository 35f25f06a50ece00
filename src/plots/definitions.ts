// Which plots a revision defines, as DVC collects them: top-level `plots` of each dvc.yaml (keyed by that file),
// then stage outputs declared under `plots:` and targets that are files (keyed by ""). Directories expand to one
// plot per file. Targets select plots by regex prefix on the id or on "dvc.yaml::id", as DVC's `re.match`.
import { posix } from "node:path";
import { isPlainObject, projectProps } from "./props.js";
import type { Definitions, PipelinePlots, PlotProps } from "./types.js";

/** The two facts about the tree that collection needs, at the revision being read. */
export interface TreeLookup {
  /** Files under `path` (repo-relative, sorted) when it is a directory; null when it is not one. */
  dirFiles(path: string): Promise<string[] | null>;
  /** True when a file or a directory exists at `path`. */
  exists(path: string): Promise<boolean>;
}

/** POSIX join + normalise, without a trailing slash; "" for the root. */
export function joinNorm(dir: string, p: string): string {
  const n = posix.normalize(dir === "" ? p : `${dir}/${p}`).replace(/\/+$/, "");
  return n === "." ? "" : n;
}

export const plotFullId = (config: string, id: string): string => (config ? `${config}::${id}` : id);

/** DVC's `_matches`: no targets match everything; otherwise `re.match(target, id or config::id)`. */
export function matchesTargets(targets: readonly string[], config: string, id: string): boolean {
  if (targets.length === 0) return true;
  const full = plotFullId(config, id);
  return targets.some((t) => {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${t})`, "u");
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      return id.startsWith(t) || full.startsWith(t); // not a regex: a plain prefix
    }
    return re.test(id) || re.test(full);
  });
}

/** A plot whose `y` is not per-file is named by its data path (DVC's `_id_is_path`). */
export const idIsPath = (props: PlotProps): boolean => !isPlainObject(props.y);

function addPlot(defs: Definitions, config: string, id: string, props: PlotProps): void {
  let plots = defs.get(config);
  if (!plots) defs.set(config, (plots = new Map()));
  plots.set(id, { ...plots.get(id), ...props });
}

async function unpack(fs: TreeLookup, path: string): Promise<string[]> {
  return (await fs.dirFiles(path)) ?? [path];
}

/** Makes per-file x/y keys repo-relative (they are written relative to the dvc.yaml's folder). */
function adjustSources(props: PlotProps, configDir: string): PlotProps {
  const out: PlotProps = { ...props };
  for (const axis of ["x", "y"] as const) {
    const v = props[axis];
    if (axis === "x" && !isPlainObject(v)) continue;
    const adjusted: Record<string, string | string[]> = {};
    if (isPlainObject(v))
      for (const [file, fields] of Object.entries(v)) adjusted[joinNorm(configDir, file)] = fields as string | string[];
    out[axis] = adjusted;
  }
  return out;
}

/** The nearest of `parents` that contains `path` (DVC's `_closest_parent`, by common path length). */
function closestParent(path: string, parents: string[]): string {
  let best = "";
  for (const parent of parents) {
    const common = commonPath(path, parent);
    if (common.length > best.length) best = common;
  }
  return best;
}

function commonPath(a: string, b: string): string {
  const pa = a.split("/");
  const pb = b.split("/");
  const out: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i++) out.push(pa[i]!);
  return out.join("/");
}

/** `{id: def}` entries of one dvc.yaml's top-level `plots`, in order (a bare path is `{path: null}`). */
export function topLevelEntries(top: readonly unknown[]): [string, PlotProps][] {
  const out: [string, PlotProps][] = [];
  for (const elem of top) {
    if (typeof elem === "string") out.push([elem, {}]);
    else if (isPlainObject(elem)) {
      const first = Object.entries(elem)[0];
      if (first) out.push([first[0], projectProps(first[1])]);
    }
  }
  return out;
}

export interface CollectInput {
  pipelines: readonly PipelinePlots[];
  /** Repo-relative targets (files or plot ids / regexes). */
  targets: readonly string[];
  /** Properties from the command line; they override the definitions'. */
  props: PlotProps;
}

export async function collectDefinitions(input: CollectInput, fs: TreeLookup): Promise<Definitions> {
  const { targets, props } = input;
  const defs: Definitions = new Map();
  for (const pipeline of input.pipelines) {
    const entries = topLevelEntries(pipeline.top);
    if (entries.length === 0 && pipeline.top.length === 0) continue;
    const config = pipeline.file;
    const configDir = posix.dirname(config) === "." ? "" : posix.dirname(config);
    if (!defs.has(config)) defs.set(config, new Map());
    const parents = entries.map(([id]) => joinNorm(configDir, id));
    for (const [id, plotProps] of entries) {
      if (!matchesTargets(targets, config, id)) continue;
      if (idIsPath(plotProps)) {
        const dataPath = joinNorm(configDir, id);
        for (const file of await unpack(fs, dataPath))
          if (file === dataPath || closestParent(file, parents) === dataPath)
            addPlot(defs, config, file, { ...plotProps, ...props });
      } else {
        addPlot(defs, config, id, { ...adjustSources(plotProps, configDir), ...props });
      }
    }
  }
  for (const pipeline of input.pipelines) {
    for (const out of pipeline.outputs) {
      if (!matchesTargets(targets, pipeline.file, out.path)) continue;
      for (const file of await unpack(fs, out.path)) addPlot(defs, "", file, { ...out.props, ...props });
    }
  }
  for (const target of targets) {
    if (defs.size === 0 || (await fs.exists(target)))
      for (const file of await unpack(fs, target)) addPlot(defs, "", file, { ...props });
  }
  return defs;
}

/** DVC's `infer_data_sources`: the files a plot reads (y's files, else the id; plus x's first file). */
export function dataSources(id: string, props: PlotProps): string[] {
  const sources = isPlainObject(props.y) ? Object.keys(props.y) : [id];
  if (isPlainObject(props.x)) {
    const first = Object.keys(props.x)[0];
    if (first !== undefined) sources.push(first);
  }
  return [...new Set(sources)];
}

/** Every data file any definition reads. */
export function allDataSources(defs: Definitions): string[] {
  const out = new Set<string>();
  for (const plots of defs.values())
    for (const [id, props] of plots) for (const s of dataSources(id, props)) out.add(s);
  return [...out];
}

/**
 * DVC's `group_definitions_by_id`: a plot id keeps its bare name unless several config files define it, in which
 * case each becomes `config::id`. Returns id → [config, inner id, props], in first-seen order.
 */
export function groupById(defs: Definitions): Map<string, { config: string; innerId: string; props: PlotProps }> {
  const byId = new Map<string, Map<string, PlotProps>>();
  for (const [config, plots] of defs)
    for (const [id, props] of plots) {
      let configs = byId.get(id);
      if (!configs) byId.set(id, (configs = new Map()));
      configs.set(config, props);
    }
  const out = new Map<string, { config: string; innerId: string; props: PlotProps }>();
  for (const [id, configs] of byId) {
    if (configs.size === 1) {
      const [config, props] = [...configs][0]!;
      out.set(id, { config, innerId: id, props });
    } else for (const [config, props] of configs) out.set(plotFullId(config, id), { config, innerId: id, props });
  }
  return out;
}
