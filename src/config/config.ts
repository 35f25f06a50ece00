// The effective configuration of a repo: system < global < repo (.dvc/config) < local (.dvc/config.local),
// merged per key and validated like DVC, plus dvx's own settings from .dvc/dvx.config(.local).
import { join, posix } from "node:path";
import { RemoteNotFoundError } from "../errors.js";
import { resolveConfigPath, isPathKey } from "./config-data.js";
import type { ConfigFiles, Env, FilesOptions } from "./files.js";
import { iniValueText, type IniValue } from "./ini.js";
import { originDir, type MergedConfig, type MergedSection, type Origin } from "./merge.js";
import { parseRemoteUrl, type RemoteKind } from "./remote-url.js";
import { isTrue, parseByteSize, type LinkType } from "./schema.js";
import { ConfigSession } from "./session.js";

export interface CoreConfig {
  /** Default remote name (lower-cased), if set. */
  remote?: string;
  autostage: boolean;
  noScm: boolean;
  checksumJobs?: number;
  hardlinkLock: boolean;
  siteCacheDir?: string;
}

export interface CacheConfig {
  /** Absolute cache directory; relative values are resolved against the config file that set them. */
  dir: string;
  /** Link types in order of preference (default reflink, copy). */
  type: LinkType[];
  shared?: "group";
  slowLinkWarning: boolean;
  verify: boolean;
}

/** dvx-only remote settings, in bytes. */
export interface DvxRemoteOptions {
  multipartThreshold?: number;
  multipartChunksize?: number;
}

export interface RemoteConfig {
  /** Lower-cased name. */
  name: string;
  /** Resolved URL: absolute path for local remotes, as written for URLs with a scheme. */
  url: string;
  /** The url as written in the config file. */
  rawUrl: string;
  /** "" for a local path, else the lower-cased URL scheme. */
  scheme: string;
  kind: RemoteKind;
  /** False for schemes dvx cannot use (gs, azure, ssh, http, ...): callers throw UnsupportedRemoteError. */
  supported: boolean;
  /** s3:// only. */
  bucket?: string;
  /** s3:// only: key prefix without leading/trailing slash. */
  prefix?: string;
  /** Every other option of the section as text (lists joined by ", "), path options resolved. */
  options: Record<string, string>;
  jobs?: number;
  dvxOptions: DvxRemoteOptions;
  /** Config files that define (part of) this remote. */
  files: string[];
}

function expandHome(value: string, env: Env): string {
  const home = env.HOME ?? env.USERPROFILE;
  if (home === undefined || !(value === "~" || value.startsWith("~/"))) return value;
  return posix.join(home, value.slice(1));
}

function resolvePath(origin: Origin, env: Env): string {
  return expandHome(resolveConfigPath(iniValueText(origin.value), originDir(origin)), env);
}

function text(section: MergedSection | undefined, key: string): string | undefined {
  const v = section?.options.get(key)?.value;
  return v === undefined ? undefined : iniValueText(v);
}

function linkTypes(value: IniValue | undefined): LinkType[] {
  if (value === undefined) return ["reflink", "copy"];
  const items = typeof value === "string" ? value.split(",").map((t) => t.trim()) : [...value];
  return items as LinkType[];
}

export class Config {
  readonly core: CoreConfig;
  readonly cache: CacheConfig;
  /** DVC's `parsing` section: how a mapping interpolated into a stage `cmd` becomes flags. */
  readonly parsing: { bool?: "store_true" | "boolean_optional"; list?: "nargs" | "append" };
  private readonly remotes: Map<string, RemoteConfig>;
  /**
   * dvx-only `[metrics]` `direction.<metric> = higher|lower` (.dvc/dvx.config): lower-cased metric name
   * ("acc") or "path:name" → which way is better.
   */
  readonly metricDirections: ReadonlyMap<string, "higher" | "lower">;
  /** dvx-only `[ci]` (.dvc/dvx.config): `text_limit`, bytes (`dvx ci report` compares smaller text files by row). */
  readonly ci: { textLimit?: number };

  constructor(
    readonly files: ConfigFiles,
    private readonly merged: MergedConfig,
    dvx: MergedConfig,
    dotDir: string,
    env: Env,
    /** Non-fatal findings (ignored options, dvx settings for unknown remotes). */
    readonly warnings: readonly string[],
  ) {
    const core = merged.sections.get("core");
    const cache = merged.sections.get("cache");
    const jobs = text(core, "checksum_jobs");
    this.core = {
      ...(text(core, "remote") === undefined ? {} : { remote: text(core, "remote")?.toLowerCase() }),
      autostage: isTrue(core?.options.get("autostage")?.value),
      noScm: isTrue(core?.options.get("no_scm")?.value),
      ...(jobs === undefined ? {} : { checksumJobs: Number(jobs) }),
      hardlinkLock: isTrue(core?.options.get("hardlink_lock")?.value),
      ...(text(core, "site_cache_dir") === undefined ? {} : { siteCacheDir: text(core, "site_cache_dir") }),
    };
    const dirOrigin = cache?.options.get("dir");
    const slow = cache?.options.get("slow_link_warning")?.value;
    this.cache = {
      dir: dirOrigin ? resolvePath(dirOrigin, env) : join(dotDir, "cache"),
      type: linkTypes(cache?.options.get("type")?.value),
      ...(text(cache, "shared") === undefined ? {} : { shared: "group" as const }),
      slowLinkWarning: slow === undefined ? true : isTrue(slow),
      verify: isTrue(cache?.options.get("verify")?.value),
    };
    const parsing = merged.sections.get("parsing");
    const bool = text(parsing, "bool");
    const list = text(parsing, "list");
    this.parsing = {
      ...(bool === "store_true" || bool === "boolean_optional" ? { bool } : {}),
      ...(list === "nargs" || list === "append" ? { list } : {}),
    };
    const directions = new Map<string, "higher" | "lower">();
    for (const [key, origin] of dvx.sections.get("metrics")?.options ?? []) {
      const value = iniValueText(origin.value).toLowerCase();
      if (key.startsWith("direction.") && (value === "higher" || value === "lower"))
        directions.set(key.slice("direction.".length), value);
    }
    this.metricDirections = directions;
    const textLimit = text(dvx.sections.get("ci"), "text_limit");
    this.ci = textLimit === undefined ? {} : { textLimit: parseByteSize(textLimit) as number };
    this.remotes = new Map();
    for (const [name, section] of merged.remote)
      this.remotes.set(name, buildRemote(name, section, dvx.remote.get(name), env));
  }

  /** The named remote, or the default one (core.remote). Throws RemoteNotFoundError. */
  getRemote(name?: string): RemoteConfig {
    const wanted = name?.toLowerCase() ?? this.core.remote;
    if (wanted === undefined) throw new RemoteNotFoundError(undefined);
    const remote = this.remotes.get(wanted);
    if (!remote) throw new RemoteNotFoundError(wanted);
    return remote;
  }

  /** All remotes in config order. */
  listRemotes(): RemoteConfig[] {
    return [...this.remotes.values()];
  }

  /** A raw merged value as text (`get("core", "remote")`), undefined when unset. */
  get(section: string, key: string): string | undefined {
    return text(this.merged.sections.get(section), key);
  }
}

function buildRemote(name: string, section: MergedSection, dvx: MergedSection | undefined, env: Env): RemoteConfig {
  const urlOrigin = section.options.get("url") as Origin;
  const rawUrl = iniValueText(urlOrigin.value);
  const parsed = parseRemoteUrl(rawUrl);
  const options: Record<string, string> = {};
  for (const [key, origin] of section.options) {
    if (key === "url") continue;
    options[key] = isPathKey("remote", key) ? resolvePath(origin, env) : iniValueText(origin.value);
  }
  const dvxOptions: DvxRemoteOptions = {};
  const threshold = text(dvx, "multipart_threshold");
  const chunk = text(dvx, "multipart_chunksize");
  if (threshold !== undefined) dvxOptions.multipartThreshold = parseByteSize(threshold) as number;
  if (chunk !== undefined) dvxOptions.multipartChunksize = parseByteSize(chunk) as number;
  return {
    name,
    url: parsed.kind === "local" ? resolvePath(urlOrigin, env) : rawUrl,
    rawUrl,
    scheme: parsed.scheme,
    kind: parsed.kind,
    supported: parsed.kind !== "unsupported",
    ...(parsed.bucket === undefined ? {} : { bucket: parsed.bucket, prefix: parsed.prefix ?? "" }),
    options,
    ...(options.jobs === undefined ? {} : { jobs: Number(options.jobs) }),
    dvxOptions,
    files: [...section.files],
  };
}

/** Loads, merges and validates every config level of the repo whose `.dvc` directory is `dotDir`. */
export async function loadConfig(opts: FilesOptions): Promise<Config> {
  const session = await ConfigSession.open(opts);
  const warnings = session.validate();
  return new Config(session.files, session.merged(), session.mergedDvx(), opts.dotDir, opts.env, warnings);
}
