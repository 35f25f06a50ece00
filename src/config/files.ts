// Where each config level lives (dvc/dirs.py + platformdirs), plus dvx's own files beside .dvc/config.
import { isAbsolute, join, posix, win32 } from "node:path";

export type ConfigLevel = "system" | "global" | "repo" | "local";

/** Lowest to highest priority. */
export const LEVELS: readonly ConfigLevel[] = ["system", "global", "repo", "local"];

/** DVC's files per level, and dvx's: `dvx` (committed) and `dvxLocal` (git-ignored). */
export type ConfigLayer = ConfigLevel | "dvx" | "dvxLocal";

export type Env = Record<string, string | undefined>;

export interface ConfigFiles {
  system: string;
  /** Undefined when neither DVC_GLOBAL_CONFIG_DIR nor a home directory is known. */
  global?: string;
  repo: string;
  local: string;
  dvx: string;
  dvxLocal: string;
}

export const DVX_CONFIG = "dvx.config";
export const DVX_CONFIG_LOCAL = "dvx.config.local";

export interface FilesOptions {
  dotDir: string;
  env: Env;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== "" ? v : undefined;
}

export function globalConfigDir(env: Env, platform: NodeJS.Platform): string | undefined {
  const explicit = nonEmpty(env.DVC_GLOBAL_CONFIG_DIR);
  if (explicit) return explicit;
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  if (platform === "win32") {
    const base = nonEmpty(env.LOCALAPPDATA) ?? (home ? win32.join(home, "AppData", "Local") : undefined);
    return base ? win32.join(base, "iterative", "dvc") : undefined;
  }
  if (platform === "darwin") return home ? posix.join(home, "Library", "Application Support", "dvc") : undefined;
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  if (xdg) return posix.join(xdg, "dvc");
  return home ? posix.join(home, ".config", "dvc") : undefined;
}

export function systemConfigDir(env: Env, platform: NodeJS.Platform): string {
  const explicit = nonEmpty(env.DVC_SYSTEM_CONFIG_DIR);
  if (explicit) return explicit;
  if (platform === "win32") return win32.join(nonEmpty(env.PROGRAMDATA) ?? "C:\\ProgramData", "iterative", "dvc");
  if (platform === "darwin") return "/Library/Application Support/dvc";
  const first = nonEmpty(env.XDG_CONFIG_DIRS)?.split(":")[0];
  return posix.join(first && first.trim() !== "" ? first : "/etc/xdg", "dvc");
}

/** `dotDir` must be absolute (core never consults the process cwd). */
export function configFiles({ dotDir, env, platform = process.platform }: FilesOptions): ConfigFiles {
  if (!isAbsolute(dotDir)) throw new Error(`configFiles: dotDir must be absolute, got '${dotDir}'`);
  const globalDir = globalConfigDir(env, platform);
  return {
    system: join(systemConfigDir(env, platform), "config"),
    ...(globalDir === undefined ? {} : { global: join(globalDir, "config") }),
    repo: join(dotDir, "config"),
    local: join(dotDir, "config.local"),
    dvx: join(dotDir, DVX_CONFIG),
    dvxLocal: join(dotDir, DVX_CONFIG_LOCAL),
  };
}

/** The dvx file that goes with a DVC level; only repo and local have one. */
export function dvxLayerFor(level: ConfigLevel): "dvx" | "dvxLocal" | undefined {
  return level === "repo" ? "dvx" : level === "local" ? "dvxLocal" : undefined;
}
