// RevFiles for commands that read many revisions at once (`exp show`: a baseline and hundreds of experiments that
// share most of their files). Each file of a git revision is known by its blob id, so a blob is read and parsed
// once for all revisions (per kind of parser and path), and dvc.yaml files are resolved once per set of inputs: a
// pipeline is reused when dvc.yaml and every file its loading read (vars files) have the same blobs.
// The workspace goes through unchanged (no ids, nothing shared).
import { AppError } from "../../errors.js";
import { GitError } from "../../git/git-errors.js";
import { CorruptGitObjectError } from "../../git/object-store.js";
import type { TreeReader } from "../../git/tree-reader.js";
import { parseParamsText } from "../../metrics/read.js";
import { dirOf } from "../../pipeline/paths.js";
import type { Pipeline } from "../../pipeline/types.js";
import type { Collected } from "../data/collect.js";
import { loadPipelinesAt, type PipelinesAt } from "../pipelines-at.js";
import { parseBytes, type ParsedRead, type RevFileRead, type RevFiles } from "../rev-files.js";

type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** What revisions opened with the same memo share: parses, blob bytes, resolved pipelines. */
export class ParseMemo {
  readonly parsed = new Map<string, ParsedRead<unknown>>();
  readonly blobs = new Map<string, Promise<Buffer>>();
  /** dvc.yaml (path, blob) → paths its load read → their blobs → the outcome. */
  readonly pipelines = new Map<string, Map<string, Map<string, Outcome<Pipeline>>>>();
  /** dvc.yaml without interpolation or vars: (path, blob, params.yaml state) → the outcome. */
  readonly plainPipelines = new Map<string, Outcome<Pipeline>>();
}

const BYTES_KEPT = 1 << 20; // blobs up to 1 MiB stay in memory for other revisions

let blobsModule: Promise<typeof import("../../git/git-read-blobs.js")> | undefined;
const gitBlobs = (): Promise<typeof import("../../git/git-read-blobs.js")> =>
  (blobsModule ??= import("../../git/git-read-blobs.js"));

export class MemoRevFiles implements RevFiles {
  readonly reader: TreeReader;
  private readonly oids = new Map<string, Promise<string | null>>();
  private recording: Map<string, string | null> | null | undefined;
  private loaded?: Promise<PipelinesAt>;

  constructor(
    private readonly base: RevFiles,
    private readonly root: string,
    private readonly memo: ParseMemo,
  ) {
    this.reader = {
      label: base.reader.label,
      readFile: (path) => this.readTree(path),
      listFiles: (keep) => {
        this.recording = null; // a load that lists files cannot be keyed by the files it read
        return base.reader.listFiles(keep);
      },
    };
  }

  get label(): string {
    return this.base.label;
  }

  get commit(): string | null {
    return this.base.commit;
  }

  /** The blob id of `path` at this commit (null: not a file in git, or the workspace). */
  oid(path: string): Promise<string | null> {
    const commit = this.base.commit;
    if (commit === null) return Promise.resolve(null);
    let pending = this.oids.get(path);
    if (pending === undefined) {
      pending = gitBlobs().then((g) => g.blobOidAtRev(this.root, commit, path));
      this.oids.set(path, pending);
    }
    return pending;
  }

  private blob(oid: string): Promise<Buffer> {
    let pending = this.memo.blobs.get(oid);
    if (pending === undefined) {
      pending = import("../../git/git-read.js")
        .then((g) => g.readBlobOid(this.root, oid))
        .then(
          (b) => b ?? Promise.reject(new GitError("read-file", this.root, new CorruptGitObjectError(oid, "missing"))),
        );
      void pending.then(
        (b) => b.length > BYTES_KEPT && this.memo.blobs.delete(oid),
        () => this.memo.blobs.delete(oid),
      );
      this.memo.blobs.set(oid, pending);
    }
    return pending;
  }

  private async readTree(path: string): Promise<Buffer | null> {
    if (this.base.commit === null) return this.base.reader.readFile(path);
    const oid = await this.oid(path);
    this.recording?.set(path, oid);
    return oid === null ? null : this.blob(oid);
  }

  read(path: string): Promise<RevFileRead> {
    return this.base.read(path);
  }

  async expand(path: string): Promise<string[]> {
    return (await this.oid(path)) !== null ? [path] : this.base.expand(path);
  }

  outputs(): ReturnType<RevFiles["outputs"]> {
    return this.base.outputs();
  }

  async readParsed<T>(path: string, kind: string, parse: (text: string, path: string) => T): Promise<ParsedRead<T>> {
    const oid = await this.oid(path);
    if (oid === null) {
      const r = await this.base.read(path);
      return r.ok ? parseBytes(r.bytes, path, parse) : r;
    }
    const key = `${kind}\0${path}\0${oid}`;
    const hit = this.memo.parsed.get(key) as ParsedRead<T> | undefined;
    if (hit) return hit;
    const result = parseBytes(await this.blob(oid), path, parse);
    this.memo.parsed.set(key, result);
    return result;
  }

  /** Every dvc.yaml and .dvc file of this revision, sorted. */
  async dvcFiles(): Promise<string[]> {
    const commit = this.base.commit;
    if (commit !== null) return (await gitBlobs()).dvcFilesAtRev(this.root, commit);
    const { pipelines, pointers } = await this.base.outputs();
    return [...pipelines, ...pointers.map((p) => p.file)].sort();
  }

  /** The revision's pipelines, each resolved once for all revisions that give it the same inputs. */
  pipelines(): Promise<PipelinesAt> {
    return (this.loaded ??= this.loadPipelines());
  }

  /** The tracked outputs of a commit from the memoised parses (what reading cached metrics needs). */
  async trackedOutputs(): Promise<Collected> {
    const { trackedOutputs } = await import("./exp-index.js");
    return trackedOutputs(this, (await this.pipelines()).pipelines, await this.dvcFiles());
  }

  private async loadPipelines(): Promise<PipelinesAt> {
    if (this.base.commit === null) return loadPipelinesAt(this);
    const { loadPipeline } = await import("../../pipeline/load.js");
    const paths = (await this.dvcFiles()).filter((p) => p === "dvc.yaml" || p.endsWith("/dvc.yaml"));
    return loadPipelinesAt(this, {
      paths,
      load: (reader, path) => this.loadOnce(path, () => loadPipeline(reader, path)),
    });
  }

  private async loadOnce(path: string, load: () => Promise<Pipeline>): Promise<Pipeline> {
    const oid = await this.oid(path);
    const text = oid === null ? "" : (await this.blob(oid)).toString("utf8");
    // Without interpolation and vars, dvc.yaml resolves the same whatever its default vars file (params.yaml
    // beside it) holds, as long as that file is absent or parses: key by that, not by the file's blob.
    if (oid !== null && !text.includes("${") && !text.includes("vars")) {
      const dir = dirOf(path);
      const params = dir === "" ? "params.yaml" : `${dir}/params.yaml`;
      const pOid = await this.oid(params);
      const parsed = pOid === null ? undefined : await this.readParsed(params, "params", parseParamsText);
      const key = `${path}\0${oid}\0${pOid === null ? "absent" : parsed?.ok ? "ok" : pOid}`;
      let hit = this.memo.plainPipelines.get(key);
      if (hit === undefined) this.memo.plainPipelines.set(key, (hit = await settle(load)));
      return unwrap(hit);
    }
    // Otherwise by the blobs of every file the load read (grouped by the list of paths read).
    const key = `${path}\0${oid}`;
    const groups = this.memo.pipelines.get(key) ?? new Map<string, Map<string, Outcome<Pipeline>>>();
    this.memo.pipelines.set(key, groups);
    for (const [paths, byOids] of groups) {
      const oids = await Promise.all(paths.split("\0").map((p) => this.oid(p)));
      const hit = byOids.get(oids.join("\0"));
      if (hit) return unwrap(hit);
    }
    this.recording = new Map();
    const outcome = await settle(load);
    const reads = this.recording;
    this.recording = undefined;
    if (reads) {
      const paths = [...reads.keys()].join("\0");
      const byOids = groups.get(paths) ?? groups.set(paths, new Map()).get(paths)!;
      byOids.set([...reads.values()].join("\0"), outcome);
    }
    return unwrap(outcome);
  }
}

async function settle<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { ok: false, error: err };
  }
}

function unwrap<T>(o: Outcome<T>): T {
  if (!o.ok) throw o.error;
  return o.value;
}
