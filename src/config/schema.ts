// The keys DVC 3 accepts in each config section (dvc/config_schema.py), and the value checks it applies.
// DVC refuses to run with an unknown key, so dvx refuses too (and never writes one into DVC's files).
import type { IniValue } from "./ini.js";

export type ValueSpec =
  | { kind: "str" }
  | { kind: "bool" }
  | { kind: "int"; min?: number; max?: number }
  | { kind: "float"; min?: number }
  | { kind: "choice"; values: readonly string[] }
  | { kind: "linkTypes" }
  | { kind: "boolOrStr" }
  | { kind: "byteSize"; min?: number; max?: number };

export type SectionSchema = Readonly<Record<string, ValueSpec>>;

const str: ValueSpec = { kind: "str" };
const bool: ValueSpec = { kind: "bool" };
const int1: ValueSpec = { kind: "int", min: 1 };
const int: ValueSpec = { kind: "int" };
const linkTypes: ValueSpec = { kind: "linkTypes" };

export const LINK_TYPES = ["reflink", "hardlink", "symlink", "copy"] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** Plain sections in the order DVC adds new ones to a file. */
export const PLAIN_SECTIONS = [
  "core",
  "cache",
  "state",
  "index",
  "feature",
  "plots",
  "exp",
  "parsing",
  "hydra",
  "studio",
] as const;
export const NAMED_SECTIONS = ["remote", "machine", "db"] as const;
export type NamedSection = (typeof NAMED_SECTIONS)[number];

const LOCAL_COMMON: SectionSchema = {
  type: linkTypes,
  protected: bool,
  shared: { kind: "choice", values: ["group"] },
  slow_link_warning: bool,
  verify: bool,
};

export const SECTION_SCHEMAS: Readonly<Record<string, SectionSchema>> = {
  core: {
    remote: str,
    checksum_jobs: int1,
    interactive: bool,
    analytics: bool,
    hardlink_lock: bool,
    no_scm: bool,
    autostage: bool,
    experiments: bool,
    check_update: bool,
    site_cache_dir: str,
    machine: str,
  },
  cache: { local: str, s3: str, gs: str, hdfs: str, webhdfs: str, ssh: str, azure: str, dir: str, ...LOCAL_COMMON },
  state: { dir: str, row_limit: int1, row_cleanup_quota: { kind: "int", min: 0, max: 100 } },
  index: { dir: str },
  feature: { machine: bool },
  plots: { html_template: str, auto_open: bool, out_dir: str },
  exp: {
    code: str,
    data: str,
    models: str,
    metrics: str,
    params: str,
    plots: str,
    live: str,
    auto_push: bool,
    git_remote: str,
  },
  parsing: {
    bool: { kind: "choice", values: ["store_true", "boolean_optional"] },
    list: { kind: "choice", values: ["nargs", "append"] },
  },
  hydra: { enabled: bool, config_dir: str, config_module: str, config_name: str, plugins_path: str },
  studio: { token: str, url: str, repo_url: str, offline: bool },
};

/** Sections whose unknown keys DVC drops with a warning instead of failing. */
export const LENIENT_SECTIONS: ReadonlySet<string> = new Set(["feature"]);

export const MACHINE_SCHEMA: SectionSchema = {
  cloud: { kind: "choice", values: ["aws", "azure"] },
  region: { kind: "choice", values: ["us-west", "us-east", "eu-west", "eu-north"] },
  image: str,
  spot: bool,
  spot_price: { kind: "float" },
  instance_hdd_size: int,
  instance_type: str,
  instance_gpu: str,
  ssh_private: str,
  startup_script: str,
  setup_script: str,
};

export const DB_SCHEMA: SectionSchema = { url: str, username: str, password: str };

const REMOTE_COMMON: SectionSchema = {
  url: str,
  checksum_jobs: int1,
  jobs: int1,
  worktree: bool,
  no_traverse: bool,
  version_aware: bool,
};

export const LOCAL_REMOTE_SCHEMA: SectionSchema = { ...LOCAL_COMMON, ...REMOTE_COMMON };

export const S3_REMOTE_SCHEMA: SectionSchema = {
  region: str,
  profile: str,
  credentialpath: str,
  configpath: str,
  endpointurl: str,
  access_key_id: str,
  secret_access_key: str,
  session_token: str,
  listobjects: bool,
  use_ssl: bool,
  allow_anonymous_login: bool,
  ssl_verify: { kind: "boolOrStr" },
  sse: str,
  sse_kms_key_id: str,
  sse_customer_algorithm: str,
  sse_customer_key: str,
  acl: str,
  grant_read: str,
  grant_read_acp: str,
  grant_write_acp: str,
  grant_full_control: str,
  cache_regions: bool,
  read_timeout: int,
  connect_timeout: int,
  verify: bool,
  ...REMOTE_COMMON,
};

/** dvx-only per-remote settings, kept in .dvc/dvx.config(.local) because DVC would reject them. */
export const DVX_REMOTE_SCHEMA: SectionSchema = {
  // S3 rejects parts under 5 MiB (except the last) and over 5 GiB.
  multipart_threshold: { kind: "byteSize", min: 1 },
  multipart_chunksize: { kind: "byteSize", min: 5 * 1024 ** 2, max: 5 * 1024 ** 3 },
};

/** dvx-only [core] settings (none yet; the section exists so adding one is a one-line change). */
export const DVX_CORE_SCHEMA: SectionSchema = {};

/** dvx-only [ci] settings: `text_limit`, the largest text file `dvx ci report` compares row by row. */
export const DVX_CI_SCHEMA: SectionSchema = { text_limit: { kind: "byteSize", min: 0 } };

export const DVX_SECTION_SCHEMAS: Readonly<Record<string, SectionSchema>> = {
  core: DVX_CORE_SCHEMA,
  metrics: {},
  ci: DVX_CI_SCHEMA,
};

/**
 * dvx-only options named by a prefix and a free part: `[metrics]` `direction.<metric> = higher|lower`, where
 * <metric> is a flattened metric name ("acc", "loss.val") or "path:name" ("eval/metrics.json:acc").
 */
export const DVX_PREFIX_OPTIONS: Readonly<Record<string, Readonly<Record<string, ValueSpec>>>> = {
  metrics: { "direction.": { kind: "choice", values: ["higher", "lower"] } },
};

/** Sections only dvx knows: `dvx config <section>.<option>` writes them to .dvc/dvx.config(.local). */
export const isDvxOnlySection = (name: string): boolean => name in DVX_SECTION_SCHEMAS && !(name in SECTION_SCHEMAS);

/** The schema of a dvx section with its prefix options (`direction.acc`) added for the keys present. */
export function dvxSectionSchema(name: string, keys: Iterable<string>): SectionSchema | undefined {
  const base = DVX_SECTION_SCHEMAS[name];
  const prefixes = Object.entries(DVX_PREFIX_OPTIONS[name] ?? {});
  if (base === undefined || prefixes.length === 0) return base;
  const out: Record<string, ValueSpec> = { ...base };
  for (const key of keys) {
    const hit = prefixes.find(([prefix]) => key.startsWith(prefix) && key.length > prefix.length);
    if (hit) out[key] = hit[1];
  }
  return out;
}

/** Keys holding filesystem paths, resolved against the directory of the file that sets them. */
export const PATH_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  cache: new Set(["dir"]),
  remote: new Set([
    "url",
    "gdrive_user_credentials_file",
    "gdrive_service_account_json_file_path",
    "credentialpath",
    "configpath",
    "keyfile",
    "cert_path",
    "key_path",
  ]),
  machine: new Set(["startup_script", "setup_script"]),
};

const SIZE_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Parses a byte size: plain bytes, or a number with KB/MB/GB/TB or KiB/MiB/GiB/TiB (case-insensitive).
 * Like the AWS CLI's s3 transfer settings, KB/MB/... are powers of 1024 (so "64MB" = "64MiB").
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] ?? "").toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Checks a value against its spec like DVC's voluptuous schema; returns the reason it is invalid. */
export function checkValue(spec: ValueSpec, value: IniValue): string | undefined {
  if (spec.kind === "linkTypes") {
    const items = typeof value === "string" ? value.split(",").map((t) => t.trim()) : [...value];
    const bad = items.filter((t) => !(LINK_TYPES as readonly string[]).includes(t));
    return bad.length
      ? `unsupported link type(s) ${bad.map((b) => `'${b}'`).join(", ")}; expected ${LINK_TYPES.join(", ")}`
      : undefined;
  }
  if (typeof value !== "string") return "expected a single value, got a list (quote values that contain a comma)";
  const v = value.trim();
  switch (spec.kind) {
    case "str":
      return undefined;
    case "bool":
      return /^(true|false)$/i.test(value) ? undefined : "expected true or false";
    case "boolOrStr":
      return undefined;
    case "choice":
      return spec.values.includes(value.toLowerCase()) ? undefined : `expected one of ${spec.values.join(", ")}`;
    case "int":
    case "float": {
      const ok = spec.kind === "int" ? /^[+-]?\d+$/.test(v) : v !== "" && Number.isFinite(Number(v));
      if (!ok) return spec.kind === "int" ? "expected an integer" : "expected a number";
      return rangeReason(
        Number(v),
        spec.kind === "int" ? spec.min : spec.min,
        spec.kind === "int" ? spec.max : undefined,
      );
    }
    case "byteSize": {
      const n = parseByteSize(value);
      if (n === undefined) return "expected a byte size such as 8388608, 64MB or 8MiB";
      return rangeReason(n, spec.min, spec.max);
    }
  }
}

function rangeReason(n: number, min: number | undefined, max: number | undefined): string | undefined {
  if (min !== undefined && n < min) return `must be at least ${min}`;
  if (max !== undefined && n > max) return `must be at most ${max}`;
  return undefined;
}

/** Lower-cased boolean parse for values already validated with checkValue. */
export function isTrue(value: IniValue | undefined): boolean {
  return typeof value === "string" && value.toLowerCase() === "true";
}
