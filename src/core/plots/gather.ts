// Reads what `dvx plots` shows at each revision (definitions from dvc.yaml, data files) and turns it into plots:
// filled Vega-Lite specs and images, revisions overlaid, with every failure kept as an error entry.
import type { AppError } from "../../errors.js";
import type { Pipeline } from "../../pipeline/types.js";
import { prepareVega, templateNameOf } from "../../plots/build.js";
import { allDataSources, collectDefinitions, dataSources, type TreeLookup } from "../../plots/definitions.js";
import { matchPlots } from "../../plots/match.js";
import { isImagePath, parsePlotData, PlotDataError } from "../../plots/parse-data.js";
import { projectProps } from "../../plots/props.js";
import type {
  PipelinePlots,
  PlotError,
  PlotProps,
  PreparedPlot,
  RevisionPlots,
  SourceData,
} from "../../plots/types.js";
import { runPool } from "../../util/pool.js";
import { loadPipelinesAt } from "../pipelines-at.js";
import { openPlotsRev, WORKSPACE, type PlotsRev } from "./rev.js";
import { PlotTemplates } from "./templates.js";
import type { Repo } from "../repo.js";

export interface GatherOptions {
  /** Revisions as typed; "workspace" is the work tree. Read in this order (DVC puts the workspace first). */
  revs: string[];
  /** Repo-relative targets: data files, directories, plot ids or regexes. */
  targets: string[];
  /** Properties given on the command line (override dvc.yaml's). */
  props: PlotProps;
  cwd: string;
  /** `plots diff` without revisions: drop HEAD when its plots read the same as the workspace's. */
  dropHeadIfSame?: boolean;
}

export interface Gathered {
  revisions: string[];
  /** Vega plots with their template (not filled yet) and image plots, in DVC's order. */
  plots: PreparedPlot[];
  errors: PlotError[];
}

interface Read {
  revision: RevisionPlots;
  /** Bytes read per data file (null: missing), to tell whether two revisions differ. */
  raw: Map<string, Buffer | null>;
}

const READ_CONCURRENCY = 8;

/** DVC's exception name for a file that is not there (in --json errors); other failures keep dvx's code. */
const errorType = (err: AppError): string => (err.code === "FILE_NOT_FOUND_AT_REV" ? "FileNotFoundError" : err.code);

export function pipelinePlots(p: Pipeline): PipelinePlots {
  const outputs = p.stages.flatMap((s) =>
    s.outs.filter((o) => o.kind === "plots").map((o) => ({ path: o.path, props: projectProps(o.extra) })),
  );
  return { file: p.file, top: p.plots, outputs };
}

function lookupOf(rev: PlotsRev): TreeLookup {
  return {
    dirFiles: async (p) => {
      const files = await rev.expand(p);
      return files.length === 0 || (files.length === 1 && files[0] === p) ? null : files;
    },
    exists: async (p) => (await rev.expand(p)).length > 0,
  };
}

/** `header: false` from the command line, the plot output's flags, or a definition reading the file. */
function headers(pipelines: PipelinePlots[], defs: RevisionPlots["definitions"]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const plots of defs.values())
    for (const [id, props] of plots)
      if (props.header !== undefined) for (const src of dataSources(id, props)) out.set(src, props.header);
  for (const p of pipelines)
    for (const o of p.outputs) if (o.props.header !== undefined) out.set(o.path, o.props.header);
  return out;
}

async function readRevision(rev: PlotsRev, opts: GatherOptions): Promise<Read> {
  const loaded = await loadPipelinesAt(rev);
  const pipelines = loaded.pipelines.map(pipelinePlots);
  const failed = loaded.errors[0];
  const error: PlotError | undefined = failed
    ? { rev: rev.label, type: failed.error.code, msg: `${failed.path}: ${failed.error.message}` }
    : undefined;
  const definitions = await collectDefinitions({ pipelines, targets: opts.targets, props: opts.props }, lookupOf(rev));
  const header = headers(pipelines, definitions);
  const sources = new Map<string, SourceData>();
  const raw = new Map<string, Buffer | null>();
  const paths = allDataSources(definitions);
  await runPool(paths.length, READ_CONCURRENCY, async (i) => {
    const path = paths[i]!;
    const props: PlotProps = header.get(path) === false ? { header: false } : {};
    const fail = (type: string, msg: string): SourceData => ({
      kind: "error",
      props,
      error: { rev: rev.label, source: path, type, msg },
    });
    const read = await rev.read(path);
    if (!read.ok) {
      raw.set(path, null);
      return void sources.set(path, fail(errorType(read.error), read.error.message));
    }
    const bytes = read.bytes;
    raw.set(path, bytes);
    if (isImagePath(path)) return void sources.set(path, { kind: "image", props, bytes });
    try {
      sources.set(path, {
        kind: "data",
        props,
        data: parsePlotData(path, bytes, opts.props.header ?? header.get(path)),
      });
    } catch (err) {
      if (!(err instanceof PlotDataError)) throw err;
      sources.set(path, fail(err.type, err.message));
    }
  });
  const ordered = new Map([...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { revision: { rev: rev.label, definitions, sources: ordered, ...(error ? { error } : {}) }, raw };
}

function sameReads(a: Read, b: Read): boolean {
  const defs = (r: Read): string =>
    JSON.stringify(
      [...r.revision.definitions].map(([c, plots]) => [c, [...plots]]),
      (_k, v: unknown) => v,
    );
  if (defs(a) !== defs(b) || a.raw.size !== b.raw.size) return false;
  for (const [path, bytes] of a.raw) {
    const other = b.raw.get(path);
    if (other === undefined || (bytes === null) !== (other === null)) return false;
    if (bytes !== null && other !== null && !bytes.equals(other)) return false;
  }
  return true;
}

export async function gatherPlots(repo: Repo, opts: GatherOptions): Promise<Gathered> {
  const unique = [...new Set(opts.revs)];
  const revs = unique.includes(WORKSPACE) ? [WORKSPACE, ...unique.filter((r) => r !== WORKSPACE)] : unique;
  const opened = await Promise.all(revs.map((r) => openPlotsRev(repo, r)));
  let reads = await Promise.all(opened.map((r) => readRevision(r, opts)));
  if (opts.dropHeadIfSame && reads.length === 2 && sameReads(reads[0]!, reads[1]!)) reads = [reads[0]!];
  const revisions = reads.map((r) => r.revision);
  const matched = matchPlots(revisions);
  const templates = new PlotTemplates(repo.dotDir, opts.cwd);
  const plots: PreparedPlot[] = [];
  const errors: PlotError[] = [];
  for (const input of matched.plots) {
    if (input.kind === "image") {
      plots.push(input);
      continue;
    }
    const template = await templates.get(templateNameOf(input));
    if (!template.ok) {
      errors.push({ name: input.id, rev: input.revisions[0] ?? WORKSPACE, type: template.type, msg: template.msg });
      continue;
    }
    plots.push(prepareVega(input, template));
  }
  errors.unshift(...matched.errors);
  for (const r of revisions) if (r.error) errors.push(r.error);
  return { revisions: revisions.map((r) => r.rev), plots, errors };
}
