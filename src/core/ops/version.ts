// dvx version: versions, platform, the configured cache type and which link types work here.
import { probeLinks, type LinkType } from "../../odb/link.js";
import type { Repo } from "../repo.js";

export interface VersionInfo {
  dvx: string;
  node: string;
  platform: string;
  repo?: { root: string; cacheDir: string; cacheType: LinkType[]; supportedLinks: LinkType[] };
}

export async function versionOp(dvx: string, node: string, platform: string, repo?: Repo): Promise<VersionInfo> {
  const info: VersionInfo = { dvx, node, platform };
  if (repo) {
    info.repo = {
      root: repo.root,
      cacheDir: repo.odb.root,
      cacheType: repo.linkTypes,
      supportedLinks: await probeLinks(repo.odb.root, repo.root),
    };
  }
  return info;
}
