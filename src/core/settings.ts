// The few config values the data core needs, read once per run from the merged config.
import { loadConfig, type Config } from "../config/config.js";
import { parseLinkTypes, type LinkType } from "../odb/link.js";

export interface Settings {
  config: Config;
  cacheDir: string;
  linkTypes: LinkType[];
  autostage: boolean;
  noScm: boolean;
  /** Concurrent file hashing/copying in one directory. */
  checksumJobs: number;
}

export async function readSettings(dotDir: string, env: Record<string, string | undefined>): Promise<Settings> {
  const config = await loadConfig({ dotDir, env });
  return {
    config,
    cacheDir: config.cache.dir,
    linkTypes: parseLinkTypes(config.cache.type),
    autostage: config.core.autostage,
    noScm: config.core.noScm,
    checksumJobs: config.core.checksumJobs ?? 32,
  };
}
