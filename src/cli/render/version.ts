// `dvx version`: versions and platform, then (inside a repository) the cache and the link types that work.
import type { VersionInfo } from "../../core/ops/version.js";

export function versionText(info: VersionInfo): string {
  let text = `dvx ${info.dvx}\n---------------------------------\nNode: ${info.node}\nPlatform: ${info.platform}\n`;
  if (info.repo)
    text +=
      `Cache types: ${info.repo.supportedLinks.join(", ")}\nCache directory: ${info.repo.cacheDir}\n` +
      `Configured cache.type: ${info.repo.cacheType.join(",")}\nRepo: ${info.repo.root}\n`;
  return text;
}
