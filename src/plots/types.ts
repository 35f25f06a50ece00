// The plots model, shaped like DVC's so that `plots show --json` gives what DVC gives: plot definitions per
// config file, data sources per revision, and what each plot becomes (a filled Vega-Lite spec or images).

/** One axis as dvc.yaml writes it: a field, several fields, or fields per file (top-level plots only). */
export type AxisDef = string | string[] | Record<string, string | string[]>;

/** Plot properties (DVC's PLOT_PROPS). Keys keep DVC's spelling: they appear in dvc.yaml and in --json. */
export interface PlotProps {
  template?: string;
  x?: AxisDef;
  y?: AxisDef;
  x_label?: string;
  y_label?: string;
  title?: string;
  header?: boolean;
}

/** What a dvc.yaml declares about plots, read by core from the resolved pipeline. */
export interface PipelinePlots {
  /** Repo-relative path of the dvc.yaml ("dvc.yaml", "sub/dvc.yaml"). */
  file: string;
  /** Top-level `plots` entries as written (interpolated): paths or `{id: definition|null}`. */
  top: unknown[];
  /** Stage outputs declared under `plots:`, repo-relative, with their plot flags. */
  outputs: { path: string; props: PlotProps }[];
}

/** Config file ("dvc.yaml", "sub/dvc.yaml", or "" for stage outputs and targets) → plot id → props. */
export type Definitions = Map<string, Map<string, PlotProps>>;

/** A parsed data file: records (CSV/TSV) or whatever JSON/YAML held. */
export type ParsedData = unknown;

/** A datapoint as DVC builds it: the file's fields plus `step`, `rev`, `filename`, `field` as needed. */
export type Datapoint = Record<string, unknown>;

/** One failure while reading a source or resolving a definition (DVC's `errors` entries). */
export interface PlotError {
  /** Plot name, when the failure belongs to one plot. */
  name?: string;
  rev: string;
  /** Data file, for read/parse failures. */
  source?: string;
  /** A DVC-style exception name: FileNotFoundError, PlotMetricTypeError, EncodingError, FieldNotFoundError... */
  type: string;
  msg: string;
}

/** Everything read at one revision. */
export interface RevisionPlots {
  rev: string;
  definitions: Definitions;
  /** Repo-relative data path → parsed data (vega sources) or bytes (images), or the error reading it. */
  sources: Map<string, SourceData>;
  /** A failure that stopped collecting this revision entirely (e.g. dvc.yaml unreadable). */
  error?: PlotError;
}

export type SourceData =
  | { kind: "data"; props: PlotProps; data: ParsedData }
  | { kind: "image"; props: PlotProps; bytes: Buffer }
  | { kind: "error"; props: PlotProps; error: PlotError };

/** The properties a Vega plot is drawn with, after x/y inference (DVC's renderer properties). */
export interface VegaProps {
  template?: string;
  title: string;
  x: string;
  /** "" when no revision had data. */
  y: string;
  x_label: string;
  y_label: string;
  /** The y series: one per (file, field) pair (several files and/or fields → several series per revision). */
  anchors_y_definitions: { filename: string; field: string }[];
  revs_with_datapoints: string[];
}

export interface VegaPlot {
  kind: "vega";
  /** Plot id: a data path, a top-level plot name, or `config::id` when the id repeats across dvc.yaml files. */
  id: string;
  /** Revisions with data, in order. */
  revisions: string[];
  props: VegaProps;
  /** Template name as asked for ("linear" when none). */
  template: string;
  /** True for DVC's own templates (false: the project's, from .dvc/plots/ or a path). */
  builtin: boolean;
  /** The filled Vega-Lite spec (data included): DVC's `content`. */
  content: Record<string, unknown>;
  /** Datapoints as filled into the spec. */
  datapoints: Datapoint[];
}

export interface ImagePlot {
  kind: "image";
  /** The image's repo-relative path. */
  id: string;
  revisions: string[];
  images: { rev: string; path: string; bytes: Buffer }[];
}

export type Plot = VegaPlot | ImagePlot;

/** A template as found: its content, and whether it is one of DVC's (false: the project's own). */
export interface TemplateRef {
  name: string;
  content: Record<string, unknown>;
  builtin: boolean;
}

/**
 * A Vega plot before its template is filled: every revision's datapoints (still tagged with filename and field)
 * and the drawing properties. Filling is left to the consumer: `--json` fills with every datapoint, the HTML
 * report with the datapoints thinned for drawing, Markdown needs no template at all.
 */
export interface PreparedVega {
  kind: "vega";
  id: string;
  revisions: string[];
  datapoints: Datapoint[];
  props: VegaProps;
  template: TemplateRef;
}

export type PreparedPlot = PreparedVega | ImagePlot;
