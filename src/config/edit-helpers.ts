// Small shared pieces of the config-editing ops (core/ops/config-set.ts and core/ops/remote-config.ts).
import { dirname } from "node:path";
import { ConfigError, UsageError } from "../errors.js";
import { toStoredPath } from "./config-data.js";
import { dvxLayerFor, type ConfigLayer, type ConfigLevel } from "./files.js";
import { parseRemoteUrl, urlHasPassword } from "./remote-url.js";
import { DVX_REMOTE_SCHEMA } from "./schema.js";
import { isSecretKey, secretWarning } from "./secrets.js";

/** Remote names are case-insensitive (stored lower-case) and must fit in a `['remote "name"']` header. */
export function normalizeRemoteName(name: string): string {
  if (name.trim() === "" || name !== name.trim() || /["'[\]#\n\r]/.test(name)) {
    throw new UsageError(`invalid remote name '${name}'`, {
      hint: "use a name without quotes, brackets, '#' or surrounding spaces",
      details: { name },
    });
  }
  return name.toLowerCase();
}

/** Validates a remote URL and converts a relative local path (typed relative to `cwd`) for `file`. */
export function storedRemoteUrl(url: string, cwd: string, file: string): string {
  if (url.trim() === "")
    throw new UsageError("the remote url is empty", { hint: "give a directory path or s3://bucket[/prefix]" });
  const parsed = parseRemoteUrl(url);
  if (parsed.scheme === "s3" && !parsed.bucket) {
    throw new ConfigError(`'${url}' is not a valid s3 url: it has no bucket`, {
      hint: "use s3://<bucket>[/<prefix>]",
      details: { url },
    });
  }
  return parsed.kind === "local" ? toStoredPath(url, cwd, dirname(file)) : url;
}

/** A warning when dvx cannot use the remote's URL (dvc can); undefined for local and s3 remotes. */
export function unsupportedWarning(name: string, url: string): string | undefined {
  const parsed = parseRemoteUrl(url);
  if (parsed.kind !== "unsupported") return undefined;
  const scheme = parsed.scheme === "" ? "this kind of" : `'${parsed.scheme}://'`;
  return `remote '${name}' is saved, but dvx cannot use ${scheme} remotes (dvx supports local directories and s3://); dvc can`;
}

/** True for settings that live in dvx's own files because DVC would reject them. */
export function isDvxRemoteOption(option: string): boolean {
  return option in DVX_REMOTE_SCHEMA;
}

/** The dvx file layer for a level, or a UsageError (dvx has no global/system files). */
export function dvxLayerOrThrow(level: ConfigLevel, option: string): ConfigLayer {
  const layer = dvxLayerFor(level);
  if (layer === undefined) {
    throw new UsageError(`'${option}' can only be set for the repo or --local`, {
      hint: "dvx keeps it in .dvc/dvx.config (or dvx.config.local with --local)",
      details: { option, level },
    });
  }
  return layer;
}

/** Secret warnings for values written to a committed file (repo level or dvx.config). */
export function secretWarnings(
  layer: ConfigLayer,
  file: string,
  what: string,
  key: string,
  value: string,
  retry: string,
): string[] {
  if (layer !== "repo" && layer !== "dvx") return [];
  if (isSecretKey(key)) return [secretWarning(what, key, file, retry)];
  if (key === "url" && urlHasPassword(value)) return [secretWarning(what, key, file, retry)];
  return [];
}
