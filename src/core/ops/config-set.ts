// `dvx config <key> [value] [--unset]`: get, set or unset one option, like `dvc config`.
// Keys are `section.option` or `remote.<name>.option` / `db.<name>.option`. Writes go to one level
// (repo by default); dvx-only remote options go to .dvc/dvx.config(.local) instead.
import { dirname } from "node:path";
import { ConfigError, RemoteNotFoundError, UsageError } from "../../errors.js";
import { isPathKey, sectionOf, toStoredPath, type ConfigData } from "../../config/config-data.js";
import {
  dvxLayerOrThrow,
  isDvxRemoteOption,
  normalizeRemoteName,
  secretWarnings,
  storedRemoteUrl,
} from "../../config/edit-helpers.js";
import { dvxLayerFor, LEVELS, type ConfigLayer, type ConfigLevel, type Env } from "../../config/files.js";
import { iniValueText } from "../../config/ini.js";
import { isDvxOnlySection, SECTION_SCHEMAS } from "../../config/schema.js";
import { isSecretKey, redactUrl } from "../../config/secrets.js";
import { ConfigSession } from "../../config/session.js";

export interface ConfigOpOptions {
  key: string;
  value?: string;
  unset?: boolean;
  /** For set/unset: defaults to "repo". For get: the one level to read; default is all, highest first. */
  level?: ConfigLevel;
  env: Env;
  /** Relative paths given for cache.dir, remote urls etc. are relative to this; default the repo root. */
  cwd?: string;
  platform?: NodeJS.Platform;
}

export interface ConfigOpResult {
  key: string;
  /** The value read (get) or written (set, as stored; absent for secrets); absent after unset. */
  value?: string;
  changed: boolean;
  /** The file read from or written to. */
  file: string;
  warnings: string[];
}

interface ParsedKey {
  /** "remote" | "db" for named sections. */
  top?: "remote" | "db";
  section: string;
  option: string;
}

export function parseConfigKey(key: string): ParsedKey {
  const named = /^(remote|db)\.([^.]+)\.(.+)$/i.exec(key);
  if (named) {
    const top = (named[1] ?? "").toLowerCase() as "remote" | "db";
    return { top, section: (named[2] ?? "").toLowerCase(), option: (named[3] ?? "").toLowerCase() };
  }
  const plain = /^([^.]+)\.(.+)$/.exec(key);
  if (!plain) {
    throw new UsageError(`invalid config key '${key}'`, {
      hint: "use section.option (core.remote) or remote.<name>.option (remote.myremote.url)",
      details: { key },
    });
  }
  return { section: (plain[1] ?? "").toLowerCase(), option: (plain[2] ?? "").toLowerCase() };
}

function optionsIn(data: ConfigData, k: ParsedKey) {
  return k.top === undefined ? data.sections.get(k.section) : data[k.top].get(k.section);
}

/** dvx-only remote options and dvx-only sections ([metrics]) live in .dvc/dvx.config(.local). */
const inDvxFiles = (k: ParsedKey): boolean =>
  k.top === "remote" ? isDvxRemoteOption(k.option) : k.top === undefined && isDvxOnlySection(k.section);

function layerFor(k: ParsedKey, level: ConfigLevel): ConfigLayer {
  return inDvxFiles(k) ? dvxLayerOrThrow(level, k.option) : level;
}

function readValue(session: ConfigSession, opts: ConfigOpOptions, k: ParsedKey): ConfigOpResult {
  const levels = opts.level ? [opts.level] : [...LEVELS].reverse();
  for (const level of levels) {
    const layer = inDvxFiles(k) ? dvxLayerFor(level) : level;
    if (layer === undefined || !session.has(layer)) continue;
    const value = optionsIn(session.data(layer), k)?.get(k.option);
    if (value !== undefined)
      return { key: opts.key, value: iniValueText(value), changed: false, file: session.fileOf(layer), warnings: [] };
  }
  throw new ConfigError(`option '${opts.key}' is not set${opts.level ? ` in the ${opts.level} config` : ""}`, {
    details: { key: opts.key, ...(opts.level ? { level: opts.level } : {}) },
  });
}

/** Gets (no value, no unset), sets or unsets one config option. */
export async function configOp(dotDir: string, opts: ConfigOpOptions): Promise<ConfigOpResult> {
  const k = parseConfigKey(opts.key);
  if (k.top === "remote") k.section = normalizeRemoteName(k.section);
  const session = await ConfigSession.open({
    dotDir,
    env: opts.env,
    ...(opts.platform ? { platform: opts.platform } : {}),
  });
  if (opts.value === undefined && !opts.unset) return readValue(session, opts, k);
  if (opts.value !== undefined && opts.unset) throw new UsageError("give either a value or --unset, not both");

  const level = opts.level ?? "repo";
  if (k.top === undefined && !(k.section in SECTION_SCHEMAS) && !isDvxOnlySection(k.section)) {
    throw new ConfigError(`config section '${k.section}' does not exist`, {
      hint: `known sections: ${Object.keys(SECTION_SCHEMAS).join(", ")}`,
      details: { section: k.section },
    });
  }
  if (k.top === "remote" && !session.merged().remote.has(k.section)) throw new RemoteNotFoundError(k.section);
  const layer = layerFor(k, level);
  const file = session.fileOf(layer);
  const data = session.data(layer);

  if (opts.unset) {
    const options = optionsIn(data, k);
    if (!options?.has(k.option)) {
      throw new ConfigError(`option '${opts.key}' is not set in '${file}'`, { details: { key: opts.key, file } });
    }
    options.delete(k.option);
    if (k.top !== undefined && options.size === 0) data[k.top].delete(k.section);
    const { written } = await session.commit();
    return { key: opts.key, changed: written.length > 0, file, warnings: [] };
  }

  let value = opts.value as string;
  const cwd = opts.cwd ?? dirname(dotDir);
  if (k.top === "remote" && k.option === "url") value = storedRemoteUrl(value, cwd, file);
  else if (isPathKey(k.top ?? k.section, k.option)) value = toStoredPath(value, cwd, dirname(file));
  sectionOf(data, k.top ?? k.section, k.top === undefined ? undefined : k.section).set(k.option, value);
  const { written } = await session.commit();
  const retry = `dvx config --local ${opts.key} <value>`;
  const what = k.top === undefined ? `[${k.section}]` : `${k.top} '${k.section}'`;
  const warnings = secretWarnings(layer, file, what, k.option, value, retry);
  const shown = isSecretKey(k.option) ? {} : { value: k.option === "url" ? redactUrl(value) : value };
  return { key: opts.key, ...shown, changed: written.length > 0, file, warnings };
}
