// One revision as `dvx plots` reads it: its dvc.yaml files, and plot files by path (a file, or every file below
// a directory). Built on TreeReader: the work tree, or a commit's git tree.
import { readdir, stat } from "node:fs/promises";
import { join, posix } from "node:path";
import { AppError, PathNotFoundError } from "../../errors.js";
import type { TreeReader } from "../../git/tree-reader.js";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { collectOutputs } from "../data/collect.js";
import type { Repo } from "../repo.js";

export const WORKSPACE = "workspace";

export interface PlotsRev {
  /** "workspace" or the revision as typed. */
  readonly label: string;
  readonly reader: TreeReader;
  /** dvc.yaml files of the revision: the root one first, then by path. */
  pipelineFiles(): Promise<string[]>;
  /** The file's bytes at that revision, or why they cannot be read (never thrown). */
  read(path: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; error: AppError }>;
  /** [path] for a file, every file below a directory (sorted), [] when nothing is there. */
  expand(path: string): Promise<string[]>;
}

const rootFirst = (a: string, b: string): number =>
  a === "dvc.yaml" ? -1 : b === "dvc.yaml" ? 1 : a < b ? -1 : a > b ? 1 : 0;

class TreePlotsRev implements PlotsRev {
  private files?: Promise<string[]>;

  constructor(
    readonly reader: TreeReader,
    private readonly listPipelines: () => Promise<string[]>,
    /** The work tree's root, for listing a directory without walking the whole tree. */
    private readonly root?: string,
  ) {}

  get label(): string {
    return this.reader.label;
  }

  async pipelineFiles(): Promise<string[]> {
    return [...(await this.listPipelines())].sort(rootFirst);
  }

  async read(path: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; error: AppError }> {
    try {
      const bytes = await this.reader.readFile(path);
      return bytes === null ? { ok: false, error: new PathNotFoundError(path) } : { ok: true, bytes };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { ok: false, error: err }; // e.g. a path that leaves the repository
    }
  }

  async expand(path: string): Promise<string[]> {
    if ((await this.reader.readFile(path)) !== null) return [path];
    if (this.root !== undefined) return listDir(this.root, path);
    this.files ??= this.reader.listFiles(() => true);
    const prefix = path === "" ? "" : `${path}/`;
    return (await this.files).filter((f) => f.startsWith(prefix));
  }
}

/** The workspace (rev undefined or "workspace") or a git revision (RevisionNotFoundError when unknown). */
export async function openPlotsRev(repo: Repo, rev?: string): Promise<PlotsRev> {
  if (rev === undefined || rev === WORKSPACE) {
    const reader = new WorkspaceReader(repo.root);
    const list = async (): Promise<string[]> =>
      (await collectOutputs(reader, { workspace: { root: repo.root, ignore: repo.ignore }, pointersOnly: true }))
        .pipelines;
    return new TreePlotsRev(reader, list, repo.root);
  }
  const { GitRevReader } = await import("../../git/readers.js");
  const reader = await GitRevReader.open(repo.root, rev);
  return new TreePlotsRev(reader, () => reader.listFiles((p) => posix.basename(p) === "dvc.yaml"));
}

/** Files below `dir` in the work tree (repo-relative, sorted); [] when it is not a directory. */
async function listDir(root: string, dir: string): Promise<string[]> {
  const abs = join(root, dir);
  const st = await stat(abs).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR")
      return null;
    throw err;
  });
  if (!st?.isDirectory()) return [];
  const entries = await readdir(abs, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !/(^|\/)\.(git|dvc)(\/|$)/.test(posix.join(e.parentPath, e.name).slice(abs.length)))
    .map((e) => posix.join(dir, posix.join(e.parentPath, e.name).slice(abs.length + 1)))
    .sort();
}
