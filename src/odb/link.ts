// Materialises cache objects in the workspace with the configured link types (docs/formats.md §4.3).
// Every placement goes through a temp name + rename, so a workspace file is never written in place
// (which, through a hardlink, would corrupt the cache object).
import { constants, mkdirSync, promises as fs } from "node:fs";
import { dirname, join, basename } from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError } from "../errors.js";
import { errCode } from "../fsx/atomic.js";

export type LinkType = "reflink" | "hardlink" | "symlink" | "copy";
export const LINK_TYPES: readonly LinkType[] = ["reflink", "hardlink", "symlink", "copy"];

const UNSUPPORTED = new Set([
  "ENOTSUP",
  "EOPNOTSUPP",
  "EXDEV",
  "ENOSYS",
  "EINVAL",
  "EPERM",
  "EMLINK",
  "ENOTTY",
  "EBADF",
]);

export class Linker {
  private chosen: LinkType | undefined;

  /**
   * @param umask the process umask (workspace files get 0666 & ~umask, exec 0777 & ~umask)
   * @param tmpDir where files are prepared before the rename into place (.dvc/tmp): a killed checkout
   *   then leaves no stray files inside tracked directories. Beside the target if unset or on EXDEV.
   */
  constructor(
    private readonly types: readonly LinkType[],
    private readonly umask: number,
    private tmpDir?: string,
    /**
     * Copies made beforehand (pull writes them while the object downloads), by cache object path: a "copy"
     * placement of that object moves the prepared file into place instead of copying, once.
     */
    private readonly prepared?: Map<string, string>,
  ) {
    if (tmpDir) mkdirSync(tmpDir, { recursive: true });
    if (types.length === 0)
      throw new ConfigError("cache.type is empty", { hint: 'set it with "dvx config cache.type reflink,copy"' });
  }

  /**
   * Whether placements are plain copies (a clone first when "reflink" comes before "copy"): then a large
   * checkout can go through the bulk copier. False for hardlink/symlink or reflink without a copy fallback.
   */
  get copies(): { clone: boolean } | undefined {
    const first = this.chosen ?? this.types[0];
    if (first === "copy") return { clone: false };
    if (first === "reflink" && !this.chosen && this.types[1] === "copy") return { clone: true };
    return undefined;
  }

  /** Whether any prepared copy is still waiting to be placed. */
  get anyPrepared(): boolean {
    return this.prepared !== undefined && this.prepared.size > 0;
  }

  /** Whether a prepared copy of this cache object is waiting to be placed. */
  hasPrepared(obj: string): boolean {
    return this.prepared?.has(obj) === true;
  }

  /** Placements that moved a prepared copy into place. */
  preparedUsed = 0;

  /** The link type used so far (after the first placement), for `dvx version` and messages. */
  get used(): LinkType | undefined {
    return this.chosen;
  }

  /** Places cache object `obj` at workspace path `dest` (replacing what is there). */
  private readonly madeDirs = new Set<string>();

  async place(obj: string, dest: string, isexec: boolean, size: number): Promise<LinkType> {
    const parent = dirname(dest);
    if (!this.madeDirs.has(parent)) {
      await fs.mkdir(parent, { recursive: true });
      this.madeDirs.add(parent);
    }
    if (!this.chosen) {
      // the first placement probes the types in order; concurrent callers wait for its answer
      if (!this.probing) {
        this.probing = this.placeTrying(this.types, obj, dest, isexec, size, true).finally(
          () => (this.probing = undefined),
        );
        return this.probing;
      }
      await this.probing.catch(() => undefined);
      if (!this.chosen) return this.place(obj, dest, isexec, size);
    }
    return this.placeTrying([this.chosen!], obj, dest, isexec, size, false);
  }

  private probing: Promise<LinkType> | undefined;

  private async placeTrying(
    candidates: readonly LinkType[],
    obj: string,
    dest: string,
    isexec: boolean,
    size: number,
    probe: boolean,
  ): Promise<LinkType> {
    const tmp = this.tmpDir
      ? join(this.tmpDir, `link-${randomBytes(8).toString("hex")}`)
      : join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString("hex")}.tmp`);
    let lastErr: unknown;
    for (const type of candidates) {
      try {
        await this.make(type, obj, tmp, isexec, size);
        try {
          await fs.rename(tmp, dest);
        } catch (err) {
          if (errCode(err) !== "EXDEV" || !this.tmpDir) throw err;
          await fs.rm(tmp, { force: true });
          this.tmpDir = undefined; // the workspace is on another filesystem: prepare beside the target
          return this.placeTrying(candidates, obj, dest, isexec, size, probe);
        }
        this.chosen = type;
        return type;
      } catch (err) {
        await fs.rm(tmp, { force: true });
        lastErr = err;
        if (!UNSUPPORTED.has(errCode(err) ?? "") || !probe) throw err;
      }
    }
    throw new ConfigError(`none of the link types in cache.type (${this.types.join(",")}) works here`, {
      hint: 'add "copy" to it: dvx config cache.type reflink,copy',
      cause: lastErr,
    });
  }

  private async make(type: LinkType, obj: string, tmp: string, isexec: boolean, size: number): Promise<void> {
    const mode = (isexec ? 0o777 : 0o666) & ~this.umask;
    switch (type) {
      case "reflink":
        await fs.copyFile(obj, tmp, constants.COPYFILE_FICLONE_FORCE);
        await fs.chmod(tmp, mode);
        return;
      case "copy": {
        const ready = this.prepared?.get(obj);
        if (ready !== undefined) {
          this.prepared!.delete(obj);
          try {
            await fs.rename(ready, tmp);
            this.preparedUsed++;
          } catch (err) {
            if (errCode(err) !== "EXDEV") throw err;
            await fs.copyFile(obj, tmp, constants.COPYFILE_FICLONE); // preparing beside the target now
          }
        } else await fs.copyFile(obj, tmp, constants.COPYFILE_FICLONE);
        await fs.chmod(tmp, mode);
        return;
      }
      case "hardlink":
        if (size === 0) {
          await fs.writeFile(tmp, "", { mode }); // DVC: a hardlink to an empty file becomes an empty file
          return;
        }
        await fs.link(obj, tmp);
        return;
      case "symlink":
        await fs.symlink(obj, tmp);
        return;
    }
  }
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

/**
 * Whether placements here will be plain copies: "copy" comes before every other configured type that works
 * between the cache and the workspace. Then a workspace copy can be written while its object downloads.
 */
export async function placesAsCopies(types: readonly LinkType[], cacheDir: string, workDir: string): Promise<boolean> {
  const first = types[0];
  if (first === undefined) return false;
  if (first === "copy") return true;
  const works = await probeLinks(cacheDir, workDir);
  return types.find((t) => works.includes(t)) === "copy";
}

/** Parses `cache.type` ("reflink,copy" or a list); unknown names are a config error. */
export function parseLinkTypes(value: string | string[] | undefined): LinkType[] {
  if (value === undefined || value === "") return ["reflink", "copy"];
  const items = (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean);
  for (const t of items) {
    if (!LINK_TYPES.includes(t as LinkType)) {
      throw new ConfigError(`unknown link type '${t}' in cache.type`, {
        hint: `use a comma-separated subset of ${LINK_TYPES.join(", ")}`,
      });
    }
  }
  return items as LinkType[];
}
