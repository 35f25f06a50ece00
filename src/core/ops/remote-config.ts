// `dvx remote add|modify|list|remove|default|rename`: edits the remote sections of one config level the
// way `dvc remote` does (docs/formats.md §6.3). dvx-only options (multipart_*) go to .dvc/dvx.config(.local).
import { dirname } from "node:path";
import { ConfigError, RemoteNotFoundError, UsageError } from "../../errors.js";
import { loadConfig } from "../../config/config.js";
import { isPathKey, resolveConfigPath, sectionOf, toStoredPath } from "../../config/config-data.js";
import {
  dvxLayerOrThrow,
  isDvxRemoteOption,
  normalizeRemoteName,
  secretWarnings,
  storedRemoteUrl,
  unsupportedWarning,
} from "../../config/edit-helpers.js";
import { RemoteExistsError } from "../../config/errors.js";
import { LEVELS, type ConfigLayer, type ConfigLevel, type Env } from "../../config/files.js";
import { iniValueText } from "../../config/ini.js";
import { parseRemoteUrl, remoteSchemaFor } from "../../config/remote-url.js";
import { checkValue, DVX_REMOTE_SCHEMA } from "../../config/schema.js";
import { isSecretKey, redactUrl } from "../../config/secrets.js";
import { ConfigSession } from "../../config/session.js";

export interface RemoteOpBase {
  env: Env;
  /** Config level to edit (default "repo"). */
  level?: ConfigLevel;
  platform?: NodeJS.Platform;
}

/** What every editing op returns besides its own fields. */
export interface RemoteEditResult {
  changed: boolean;
  /** Config files rewritten. */
  files: string[];
  /** True when `/dvx.config.local` was added to .dvc/.gitignore. */
  gitignoreUpdated: boolean;
  warnings: string[];
}

async function open(dotDir: string, o: RemoteOpBase): Promise<ConfigSession> {
  return ConfigSession.open({ dotDir, env: o.env, ...(o.platform ? { platform: o.platform } : {}) });
}

async function commit(session: ConfigSession, warnings: string[]): Promise<RemoteEditResult> {
  const { written, gitignoreUpdated } = await session.commit();
  return { changed: written.length > 0, files: written, gitignoreUpdated, warnings };
}

/** Levels from the highest down to `level` (DVC's order for fixing `core.remote` references). */
function levelsDownTo(level: ConfigLevel): ConfigLevel[] {
  return [...LEVELS].reverse().slice(0, [...LEVELS].reverse().indexOf(level) + 1);
}

function coreRemoteIs(session: ConfigSession, layer: ConfigLayer, name: string): boolean {
  const v = session.data(layer).sections.get("core")?.get("remote");
  return v !== undefined && iniValueText(v).toLowerCase() === name;
}

export interface RemoteAddOptions extends RemoteOpBase {
  name: string;
  url: string;
  default?: boolean;
  force?: boolean;
  /** Relative local paths are relative to this directory. */
  cwd: string;
}

export async function remoteAdd(
  dotDir: string,
  o: RemoteAddOptions,
): Promise<RemoteEditResult & { name: string; url: string; supported: boolean }> {
  const name = normalizeRemoteName(o.name);
  const level = o.level ?? "repo";
  const session = await open(dotDir, o);
  const data = session.data(level);
  const file = session.fileOf(level);
  if (data.remote.has(name) && !o.force) throw new RemoteExistsError(name, file);
  const url = storedRemoteUrl(o.url, o.cwd, file);
  data.remote.set(name, new Map([["url", url]]));
  if (o.default) sectionOf(data, "core").set("remote", name);
  const warnings = [
    ...secretWarnings(level, file, `remote '${name}'`, "url", url, `dvx remote add --local ${name} <url>`),
    ...[unsupportedWarning(name, url)].filter((w): w is string => w !== undefined),
  ];
  return {
    name,
    url: redactUrl(url),
    supported: parseRemoteUrl(url).kind !== "unsupported",
    ...(await commit(session, warnings)),
  };
}

export interface RemoteModifyOptions extends RemoteOpBase {
  name: string;
  option: string;
  value?: string;
  unset?: boolean;
  cwd?: string;
}

function checkModify(option: string, value: string | undefined, url: string, name: string): void {
  const parsed = parseRemoteUrl(url);
  if (isDvxRemoteOption(option)) {
    if (parsed.kind === "local") {
      throw new ConfigError(`'${option}' applies to s3 remotes only, and remote '${name}' is a local directory`, {
        details: { name, option },
      });
    }
    const spec = DVX_REMOTE_SCHEMA[option];
    const reason = spec && value !== undefined ? checkValue(spec, value) : undefined;
    if (reason)
      throw new ConfigError(`invalid value for '${option}' of remote '${name}': ${reason}`, {
        details: { name, option, reason },
      });
    return;
  }
  const schema = remoteSchemaFor(parsed);
  if (schema !== undefined && value !== undefined && schema[option] === undefined) {
    const dvxOnly = parsed.kind === "s3" ? Object.keys(DVX_REMOTE_SCHEMA) : [];
    const validOptions = [...Object.keys(schema), ...dvxOnly].sort();
    throw new ConfigError(`unknown option '${option}' for ${parsed.kind} remote '${name}'`, {
      hint: `valid options: ${validOptions.join(", ")}`,
      details: { name, option },
    });
  }
}

/** Sets or unsets one option of a remote; `value` in the result is absent for secrets. */
export async function remoteModify(
  dotDir: string,
  o: RemoteModifyOptions,
): Promise<RemoteEditResult & { name: string; option: string; value?: string }> {
  const name = normalizeRemoteName(o.name);
  const option = o.option.toLowerCase();
  if ((o.value === undefined) === !o.unset) throw new UsageError("give either a value or --unset");
  const level = o.level ?? "repo";
  const session = await open(dotDir, o);
  const merged = session.merged().remote.get(name);
  if (!merged) throw new RemoteNotFoundError(name);
  const mergedUrl = merged.options.get("url");
  checkModify(
    option,
    o.value,
    option === "url" && o.value ? o.value : mergedUrl ? iniValueText(mergedUrl.value) : "",
    name,
  );
  const layer = isDvxRemoteOption(option) ? dvxLayerOrThrow(level, option) : level;
  const file = session.fileOf(layer);
  const data = session.data(layer);
  if (o.unset) {
    const section = data.remote.get(name);
    section?.delete(option);
    if (section?.size === 0) data.remote.delete(name);
    return { name, option, ...(await commit(session, [])) };
  }
  const cwd = o.cwd ?? dirname(dotDir);
  let value = o.value as string;
  if (option === "url") value = storedRemoteUrl(value, cwd, file);
  else if (isPathKey("remote", option)) value = toStoredPath(value, cwd, dirname(file));
  sectionOf(data, "remote", name).set(option, value);
  const warnings = secretWarnings(
    layer,
    file,
    `remote '${name}'`,
    option,
    value,
    `dvx remote modify --local ${name} ${option} <value>`,
  );
  if (option === "url") warnings.push(...[unsupportedWarning(name, value)].filter((w): w is string => w !== undefined));
  // The stored value (paths are converted); never a secret's value, which callers must not echo.
  const shown = isSecretKey(option) ? {} : { value: option === "url" ? redactUrl(value) : value };
  return { name, option, ...shown, ...(await commit(session, warnings)) };
}

export interface RemoteListEntry {
  name: string;
  /** Resolved: absolute path for local remotes. */
  url: string;
  isDefault: boolean;
  supported: boolean;
}

export async function remoteList(
  dotDir: string,
  o: RemoteOpBase,
): Promise<{ remotes: RemoteListEntry[]; default?: string; warnings: string[] }> {
  const config = await loadConfig({ dotDir, env: o.env, ...(o.platform ? { platform: o.platform } : {}) });
  const def = config.core.remote;
  let remotes: RemoteListEntry[];
  if (o.level === undefined) {
    remotes = config
      .listRemotes()
      .map((r) => ({ name: r.name, url: redactUrl(r.url), isDefault: r.name === def, supported: r.supported }));
  } else {
    const session = await open(dotDir, o);
    const file = session.fileOf(o.level);
    remotes = [...session.data(o.level).remote].map(([name, options]) => {
      const raw = iniValueText(options.get("url") ?? "");
      const kind = parseRemoteUrl(raw).kind;
      return {
        name,
        url: kind === "local" ? resolveConfigPath(raw, dirname(file)) : redactUrl(raw),
        isDefault: name === def,
        supported: kind !== "unsupported",
      };
    });
  }
  return { remotes, ...(def === undefined ? {} : { default: def }), warnings: [...config.warnings] };
}

export interface RemoteNameOptions extends RemoteOpBase {
  name: string;
}

/**
 * Removes the remote's section at `level` and every `core.remote` naming it at that level or above.
 * When no level still defines its url, partial sections elsewhere and its dvx settings go too.
 */
export async function remoteRemove(dotDir: string, o: RemoteNameOptions): Promise<RemoteEditResult & { name: string }> {
  const name = normalizeRemoteName(o.name);
  const level = o.level ?? "repo";
  const session = await open(dotDir, o);
  if (!session.data(level).remote.has(name)) throw new RemoteNotFoundError(name);
  session.data(level).remote.delete(name);
  // Like DVC: drop core.remote pointing to it at this level and every level that shadows it.
  for (const l of levelsDownTo(level)) {
    if (session.has(l) && coreRemoteIs(session, l, name)) session.data(l).sections.get("core")?.delete("remote");
  }
  // Unlike DVC: if no level defines its url any more, drop leftover partial sections (e.g. credentials
  // in config.local, which would make DVC fail with "expected 'url'") and its dvx settings.
  if (!session.merged().remote.get(name)?.options.has("url")) {
    for (const l of [...LEVELS, "dvx", "dvxLocal"] as const) if (session.has(l)) session.data(l).remote.delete(name);
  }
  return { name, ...(await commit(session, [])) };
}

export interface RemoteDefaultOptions extends RemoteOpBase {
  /** Absent (and no unset): read the default. */
  name?: string;
  unset?: boolean;
}

export async function remoteDefault(
  dotDir: string,
  o: RemoteDefaultOptions,
): Promise<RemoteEditResult & { name?: string }> {
  const session = await open(dotDir, o);
  if (o.name === undefined && !o.unset) {
    const v = o.level
      ? session.data(o.level).sections.get("core")?.get("remote")
      : session.merged().sections.get("core")?.options.get("remote")?.value;
    const name = v === undefined ? undefined : iniValueText(v).toLowerCase();
    return {
      ...(name === undefined ? {} : { name }),
      changed: false,
      files: [],
      gitignoreUpdated: false,
      warnings: [],
    };
  }
  const level = o.level ?? "repo";
  if (o.unset) {
    session.data(level).sections.get("core")?.delete("remote");
    return commit(session, []);
  }
  const name = normalizeRemoteName(o.name as string);
  if (!session.data(level).remote.has(name) && !session.merged(level).remote.has(name)) {
    if (!session.merged().remote.has(name)) throw new RemoteNotFoundError(name);
    throw new ConfigError(
      `remote '${name}' is defined only at a level above '${level}', so it cannot be the ${level} default`,
      {
        hint: `use "dvx remote default --local ${name}", or define the remote at the ${level} level`,
        details: { name, level },
      },
    );
  }
  sectionOf(session.data(level), "core").set("remote", name);
  return { name, ...(await commit(session, [])) };
}

export interface RemoteRenameOptions extends RemoteNameOptions {
  newName: string;
}

export async function remoteRename(
  dotDir: string,
  o: RemoteRenameOptions,
): Promise<RemoteEditResult & { name: string; newName: string }> {
  const name = normalizeRemoteName(o.name);
  const newName = normalizeRemoteName(o.newName);
  const level = o.level ?? "repo";
  const session = await open(dotDir, o);
  const existing = session.merged().remote.get(newName);
  if (existing)
    throw new RemoteExistsError(newName, existing.files[existing.files.length - 1] ?? session.fileOf(level));
  if (!session.data(level).remote.has(name)) throw new RemoteNotFoundError(name);
  const move = (layer: ConfigLayer) => {
    const remotes = session.data(layer).remote;
    const section = remotes.get(name);
    if (!section) return;
    remotes.delete(name);
    remotes.set(newName, section); // DVC re-inserts it, so it moves to the end
  };
  move(level);
  for (const l of [...LEVELS, "dvx", "dvxLocal"] as const) {
    // Partial sections (no url) elsewhere overlay the renamed remote: they follow it.
    if (l !== level && session.has(l) && !session.data(l).remote.get(name)?.has("url")) move(l);
  }
  for (const l of LEVELS)
    if (session.has(l) && coreRemoteIs(session, l, name)) sectionOf(session.data(l), "core").set("remote", newName);
  return { name, newName, ...(await commit(session, [])) };
}
