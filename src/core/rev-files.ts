// Reading a repository file as it was at one revision, from git or from the DVC cache: what DVC's
// DvcFileSystem does for `metrics`, `params` and `plots`. A file committed to git is read from the commit's
// tree (or, for the workspace, from disk); a file that is — or lies inside — a cached output at that
// revision (e.g. eval/metrics.json in a cached `eval/` directory) is read from the cache, through the hash
// recorded in dvc.lock or the .dvc file of that revision (and the `.dir` manifest for directories).
//
// API (one RevFiles per revision; it caches what it reads, so share it between readers of that revision):
//   const ws = await openRevFiles(repo);              // the workspace
//   const old = await openRevFiles(repo, "HEAD~1");   // a git revision (RevisionNotFoundError if unknown)
//   old.label        "HEAD~1" (as typed) or "workspace";   old.commit: the commit oid, or null
//   old.reader       the TreeReader of that revision (for dvc.yaml, dvc.lock, ...)
//   await old.read("eval/metrics.json")
//      → { ok: true, path, bytes, source: "git" | "workspace" | "cache" }
//      | { ok: false, path, error }   error: RevFileNotFoundError | NotInCacheError (never thrown)
//   await old.expand("eval")   the files at or below a path: ["eval"] for a file, every file below a directory
//                              (in git/on disk, else inside cached outputs), [] when nothing is there
//   await old.outputs()        the tracked outputs of that revision (collectOutputs), collected once
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { AppError, EXIT } from "../errors.js";
import type { TreeReader } from "../git/tree-reader.js";
import { WorkspaceReader } from "../git/workspace-reader.js";
import type { HashInfo } from "../odb/types.js";
import type { Output } from "../tracking/output.js";
import { compareCodePoints } from "../util/py-json.js";
import { collectOutputs, type Collected } from "./data/collect.js";
import type { Repo } from "./repo.js";

export type RevFileRead =
  | { ok: true; path: string; bytes: Buffer; source: "git" | "workspace" | "cache" }
  | { ok: false; path: string; error: AppError };

/** A file read and parsed, or why not (a missing file, or the parser's AppError). */
export type ParsedRead<T> = { ok: true; value: T } | { ok: false; error: AppError };

export interface RevFiles {
  readonly label: string;
  readonly commit: string | null;
  readonly reader: TreeReader;
  read(path: string): Promise<RevFileRead>;
  expand(path: string): Promise<string[]>;
  outputs(): Promise<Collected>;
  /**
   * Reads and parses `path`. Optional: an implementation that knows the content's identity (e.g. the git blob
   * id) may hand back an earlier parse of the same bytes by the same `kind` of parser (see readParsed).
   */
  readParsed?<T>(path: string, kind: string, parse: (text: string, path: string) => T): Promise<ParsedRead<T>>;
}

/**
 * `path` read through `files` and parsed by `parse`; an AppError thrown by the parser is returned, not thrown.
 * The result may be shared with other revisions (when `files` memoises parses): treat it as read-only.
 */
export async function readParsed<T>(
  files: RevFiles,
  path: string,
  kind: string,
  parse: (text: string, path: string) => T,
): Promise<ParsedRead<T>> {
  if (files.readParsed) return files.readParsed(path, kind, parse);
  const r = await files.read(path);
  return r.ok ? parseBytes(r.bytes, path, parse) : r;
}

/** Runs `parse` on the bytes, returning its AppError. */
export function parseBytes<T>(bytes: Buffer, path: string, parse: (text: string, path: string) => T): ParsedRead<T> {
  try {
    return { ok: true, value: parse(bytes.toString("utf8"), path) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { ok: false, error: err };
  }
}

/** A file that is neither in git (or the work tree) nor a cached output at that revision. */
export class RevFileNotFoundError extends AppError {
  constructor(path: string, label: string) {
    super("FILE_NOT_FOUND_AT_REV", EXIT.failed, `'${path}' does not exist`, {
      details: { path, rev: label },
    });
  }
}

/** A file inside a cached output whose object (or directory manifest) is not in the local cache. */
export class NotInCacheError extends AppError {
  constructor(path: string, label: string, oid: string) {
    super("NOT_IN_CACHE", EXIT.integrity, `'${path}' is not in the cache (object ${oid})`, {
      hint: 'run "dvx fetch" to get it (with -a or -T for what other branches or tags use)',
      details: { path, rev: label, oid },
    });
  }
}

const under = (p: string, dir: string): boolean => dir === "" || p === dir || p.startsWith(`${dir}/`);

class RevFilesImpl implements RevFiles {
  private collected?: Promise<Collected>;
  private readonly bytes = new Map<string, Promise<Buffer | null>>();

  constructor(
    private readonly repo: Repo,
    readonly reader: TreeReader,
    readonly commit: string | null,
    private readonly collect?: () => Promise<Collected>,
  ) {}

  get label(): string {
    return this.reader.label;
  }

  outputs(): Promise<Collected> {
    const workspace = this.commit === null ? { workspace: { root: this.repo.root, ignore: this.repo.ignore } } : {};
    return (this.collected ??= this.collect ? this.collect() : collectOutputs(this.reader, workspace));
  }

  private fromTree(path: string): Promise<Buffer | null> {
    let pending = this.bytes.get(path);
    if (pending === undefined) this.bytes.set(path, (pending = this.reader.readFile(path)));
    return pending;
  }

  /** The cached output that is `path` or holds it. */
  private async outputHolding(path: string): Promise<Output | undefined> {
    const { outputs } = await this.outputs();
    return outputs.find((o) => o.cache && o.hash !== undefined && under(path, o.path));
  }

  async read(path: string): Promise<RevFileRead> {
    const bytes = await this.fromTree(path);
    if (bytes !== null) return { ok: true, path, bytes, source: this.commit === null ? "workspace" : "git" };
    const out = await this.outputHolding(path);
    const hash = out?.hash;
    if (out === undefined || hash === undefined)
      return { ok: false, path, error: new RevFileNotFoundError(path, this.label) };
    const odb = this.repo.odb;
    let obj: HashInfo | undefined = hash;
    if (hash.value.endsWith(".dir")) {
      if (!odb.has(hash)) return { ok: false, path, error: new NotInCacheError(path, this.label, hash.value) };
      const rel = path.slice(out.path.length + 1);
      const entry = rel === "" ? undefined : (await odb.readTree(hash)).find((e) => e.relpath === rel);
      obj = entry === undefined ? undefined : { name: hash.name, value: entry.md5 };
    } else if (path !== out.path) obj = undefined;
    if (obj === undefined) return { ok: false, path, error: new RevFileNotFoundError(path, this.label) };
    if (!odb.has(obj)) return { ok: false, path, error: new NotInCacheError(path, this.label, obj.value) };
    return { ok: true, path, bytes: await odb.readBytes(obj), source: "cache" };
  }

  async expand(path: string): Promise<string[]> {
    if ((await this.fromTree(path)) !== null) return [path];
    const inTree = await this.treeFilesUnder(path);
    if (inTree.length > 0) return inTree;
    const { outputs } = await this.outputs();
    const found = new Set<string>();
    for (const o of outputs) {
      if (!o.cache || o.hash === undefined || !(under(o.path, path) || under(path, o.path))) continue;
      if (!o.hash.value.endsWith(".dir")) {
        if (under(o.path, path)) found.add(o.path);
        continue;
      }
      // a directory whose manifest is missing still names itself, so that read() reports it
      if (!this.repo.odb.has(o.hash)) found.add(under(o.path, path) ? o.path : path);
      else
        for (const e of await this.repo.odb.readTree(o.hash)) {
          const p = `${o.path}/${e.relpath}`;
          if (under(p, path)) found.add(p);
        }
    }
    return [...found].sort(compareCodePoints);
  }

  private async treeFilesUnder(dir: string): Promise<string[]> {
    if (this.commit !== null) {
      const { listFilesUnderAtRev } = await import("../git/git.js");
      return listFilesUnderAtRev(this.repo.root, this.commit, dir);
    }
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(join(this.repo.root, rel), { withFileTypes: true });
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "ENOENT" || code === "ENOTDIR") return; // not a directory here
        throw e;
      }
      for (const e of entries) {
        const p = rel === "" ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) {
          if (e.name !== ".git" && e.name !== ".dvc" && !this.repo.ignore.ignoresEntry(p, true)) await walk(p);
        } else if (!this.repo.ignore.ignoresEntry(p, false)) out.push(p);
      }
    };
    await walk(dir);
    return out.sort(compareCodePoints);
  }
}

/**
 * The files of the workspace (`rev` undefined) or of a git revision as the user typed it; `label` names it
 * in messages (default: the revision as typed). `opts.outputs` replaces the collection of the revision's tracked
 * outputs (callers reading many revisions pass one that shares parses between them).
 */
export async function openRevFiles(
  repo: Repo,
  rev?: string,
  label?: string,
  opts: { outputs?: () => Promise<Collected> } = {},
): Promise<RevFiles> {
  if (rev === undefined) return new RevFilesImpl(repo, new WorkspaceReader(repo.root), null);
  const { GitRevReader } = await import("../git/readers.js");
  const { resolveRevision } = await import("../git/revparse.js");
  const reader = new GitRevReader(repo.root, await resolveRevision(repo.root, rev), label ?? rev);
  return new RevFilesImpl(repo, reader, reader.commitOid, opts.outputs);
}
