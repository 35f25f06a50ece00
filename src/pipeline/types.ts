// The resolved pipeline model: what dvc.yaml means after vars, interpolation and foreach/matrix,
// and what dvc.lock records. All `path` fields are POSIX and relative to the repository root;
// `decl` fields keep the string as written in dvc.yaml (relative to the stage's wdir).

export type OutKind = "outs" | "metrics" | "plots";

export interface StageOut {
  /** Repo-relative POSIX path. */
  path: string;
  /** As written in dvc.yaml (after interpolation), relative to the stage wdir. */
  decl: string;
  cache: boolean;
  persist: boolean;
  push: boolean;
  remote?: string;
  kind: OutKind;
  /** Other flags as written: desc, type, labels, meta, checkpoint and plot properties. */
  extra: Record<string, unknown>;
}

export interface StageDep {
  /** Repo-relative POSIX path; for an external dep, the path or URL as written (normalised). */
  path: string;
  decl: string;
  /** True for absolute paths, URLs and relative paths that leave the repository. */
  external?: boolean;
}

export interface ParamDep {
  /** Repo-relative POSIX path of the params file. */
  file: string;
  /** The file as written in dvc.yaml, relative to the stage wdir (the key in dvc.lock's `params`). */
  decl: string;
  /** Dot-path keys as written; null when the whole file is tracked. */
  keys: string[] | null;
}

export interface Stage {
  /** Full name, e.g. "train" or "train@small". */
  name: string;
  /** The foreach/matrix group a generated stage comes from ("train" for "train@small"). */
  group?: string;
  /** Repo-relative path of the dvc.yaml that defines it. */
  file: string;
  /** "train@small" for the root dvc.yaml, "sub/dvc.yaml:train@small" otherwise (DVC_STAGE). */
  address: string;
  cmd: string | string[];
  /** Repo-relative working directory; "" for the repository root. */
  wdir: string;
  deps: StageDep[];
  params: ParamDep[];
  /** outs, then metrics, then plots, each in the order written. */
  outs: StageOut[];
  frozen: boolean;
  alwaysChanged: boolean;
  desc?: string;
  meta?: unknown;
}

export interface Artifact {
  /** Repo-relative path (or the URL/absolute path as written). */
  path: string;
  decl: string;
  type?: string;
  desc?: string;
  labels?: string[];
  meta?: unknown;
}

export interface Pipeline {
  /** Repo-relative path of dvc.yaml. */
  file: string;
  stages: Stage[];
  /** Top-level `metrics`, repo-relative. */
  metrics: string[];
  /** Top-level `params`, repo-relative. */
  params: string[];
  /** Top-level `plots`, interpolated but otherwise as written (paths relative to dvc.yaml's dir). */
  plots: unknown[];
  artifacts: Record<string, Artifact>;
}

export interface LockItem {
  /** As recorded in the lock: relative to the stage wdir, POSIX. */
  path: string;
  /** "md5" for DVC 3 items; absent for legacy (DVC 2, dos2unix) items. */
  hash?: "md5";
  md5?: string;
  size?: number;
  nfiles?: number;
  isexec?: boolean;
  /** Other recorded keys (etag, checksum, version_id, cloud, files, ...). */
  extra: Record<string, unknown>;
}

export interface LockEntry {
  cmd: string | string[];
  deps: LockItem[];
  /** file (as in the lock, relative to wdir) → key → value. */
  params: Record<string, Record<string, unknown>>;
  outs: LockItem[];
}

export interface LockFile {
  schema: "2.0";
  /** Stage name → entry, in file order. */
  stages: Map<string, LockEntry>;
}

/** How dict values are rendered as CLI flags in `cmd` (DVC's `parsing` config section). */
export interface ParsingConfig {
  bool?: "store_true" | "boolean_optional";
  list?: "nargs" | "append";
}
