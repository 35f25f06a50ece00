// dvx version: versions, platform, the configured cache type and which link types work here.
import { constants, promises as fs } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { LinkType } from "../../odb/link.js";
import type { Repo } from "../repo.js";

export interface VersionInfo {
  dvx: string;
  node: string;
  platform: string;
  repo?: { root: string; cacheDir: string; cacheType: LinkType[]; supportedLinks: LinkType[] };
}

/** Tries each link type between the cache dir and the repo root with a scratch file. */
export async function probeLinks(cacheDir: string, workDir: string): Promise<LinkType[]> {
  await fs.mkdir(cacheDir, { recursive: true });
  const tag = randomBytes(6).toString("hex");
  const src = join(cacheDir, `.dvx-probe-${tag}`);
  const dst = join(workDir, `.dvx-probe-${tag}`);
  await fs.writeFile(src, "probe");
  const ok: LinkType[] = [];
  const attempts: Array<[LinkType, () => Promise<void>]> = [
    ["reflink", () => fs.copyFile(src, dst, constants.COPYFILE_FICLONE_FORCE)],
    ["hardlink", () => fs.link(src, dst)],
    ["symlink", () => fs.symlink(src, dst)],
    ["copy", () => fs.copyFile(src, dst)],
  ];
  try {
    for (const [type, make] of attempts) {
      try {
        await make();
        ok.push(type);
      } catch {
        // ENOTSUP/EXDEV/EPERM...: this link type does not work here
      }
      await fs.rm(dst, { force: true });
    }
  } finally {
    await fs.rm(src, { force: true });
  }
  return ok;
}

export async function versionOp(dvx: string, node: string, platform: string, repo?: Repo): Promise<VersionInfo> {
  const info: VersionInfo = { dvx, node, platform };
  if (repo) {
    info.repo = { root: repo.root, cacheDir: repo.odb.root, cacheType: repo.linkTypes, supportedLinks: await probeLinks(repo.odb.root, repo.root) };
  }
  return info;
}
