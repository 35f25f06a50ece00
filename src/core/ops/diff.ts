// dvx diff: data changes between two git revisions (or a revision and the workspace), at file level,
// also inside tracked directories. Result shape = DVC's `diff --json`.
import { GitRevReader } from "../../git/readers.js";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import type { TreeReader } from "../../git/tree-reader.js";
import { cmpCodePoints } from "../../fsx/walk.js";
import type { HashName } from "../../odb/types.js";
import type { Output } from "../../tracking/output.js";
import { collectOutputs } from "../data/collect.js";
import type { Repo } from "../repo.js";
import { resolveTarget } from "../targets.js";
import { hashWorkspacePath } from "../data/workspace-hash.js";

export interface DiffOptions {
  cwd: string;
  aRev?: string;
  bRev?: string;
  targets: string[];
  hideMissing?: boolean;
}

type Hashish = string;
export interface DiffEntry {
  path: string | { old: string; new: string };
  hash?: Hashish | { old: Hashish; new: Hashish };
}
export interface DiffResult {
  added: DiffEntry[];
  deleted: DiffEntry[];
  modified: DiffEntry[];
  renamed: DiffEntry[];
  "not in cache"?: DiffEntry[];
}

interface IndexEntry {
  hash: string;
  name: HashName;
  isDir: boolean;
}
type DataIndex = Map<string, IndexEntry>;

async function indexFromRecords(repo: Repo, outputs: Output[]): Promise<DataIndex> {
  const idx: DataIndex = new Map();
  for (const o of outputs) {
    if (!o.cache || !o.hash) continue;
    const isDir = o.hash.value.endsWith(".dir");
    idx.set(o.path, { hash: o.hash.value, name: o.hash.name, isDir });
    if (isDir && repo.odb.has(o.hash)) {
      for (const e of await repo.odb.readTree(o.hash))
        idx.set(`${o.path}/${e.relpath}`, { hash: e.md5, name: o.hash.name, isDir: false });
    }
  }
  return idx;
}

async function indexFromWorkspace(repo: Repo, outputs: Output[]): Promise<DataIndex> {
  const idx: DataIndex = new Map();
  const ctx = repo.hashContext();
  for (const o of outputs) {
    if (!o.cache) continue;
    const name = o.hash?.name ?? "md5";
    const h = await hashWorkspacePath(ctx, o.path, { name, store: false });
    if (!h) continue;
    idx.set(o.path, { hash: h.hash.value, name, isDir: h.isDir });
    for (const e of h.entries ?? []) idx.set(`${o.path}/${e.relpath}`, { hash: e.md5, name, isDir: false });
  }
  await repo.state().save();
  return idx;
}

const shownPath = (p: string, e: IndexEntry): string => (e.isDir ? `${p}/` : p);

export function diffIndexes(oldIdx: DataIndex, newIdx: DataIndex, inCache?: (e: IndexEntry) => boolean): DiffResult {
  const res: DiffResult = {
    added: [],
    deleted: [],
    modified: [],
    renamed: [],
    ...(inCache ? { "not in cache": [] } : {}),
  };
  const added: Array<[string, IndexEntry]> = [];
  const deleted: Array<[string, IndexEntry]> = [];
  for (const [p, o] of oldIdx) {
    const n = newIdx.get(p);
    if (!n) deleted.push([p, o]);
    else if (n.hash !== o.hash || n.isDir !== o.isDir) {
      res.modified.push({ path: shownPath(p, o), hash: { old: o.hash, new: n.hash } });
      if (inCache && !inCache(o)) res["not in cache"]!.push({ path: shownPath(p, o), hash: o.hash });
    }
  }
  for (const [p, n] of newIdx) if (!oldIdx.has(p)) added.push([p, n]);
  // a file deleted here and added there with the same content is a rename
  const byHash = new Map<string, Array<[string, IndexEntry]>>();
  for (const a of added) if (!a[1].isDir) (byHash.get(a[1].hash) ?? byHash.set(a[1].hash, []).get(a[1].hash)!).push(a);
  const renamedTo = new Set<string>();
  for (const [p, o] of deleted) {
    const cand = o.isDir ? undefined : byHash.get(o.hash)?.shift();
    if (cand) {
      renamedTo.add(cand[0]);
      res.renamed.push({ path: { old: p, new: cand[0] }, hash: o.hash });
    } else res.deleted.push({ path: shownPath(p, o), hash: o.hash });
    if (inCache && !inCache(o)) res["not in cache"]!.push({ path: shownPath(p, o), hash: o.hash });
  }
  for (const [p, n] of added) if (!renamedTo.has(p)) res.added.push({ path: shownPath(p, n), hash: n.hash });
  const key = (e: DiffEntry): string => (typeof e.path === "string" ? e.path : e.path.old);
  for (const list of Object.values(res) as DiffEntry[][]) list.sort((a, b) => cmpCodePoints(key(a), key(b)));
  return res;
}

function filterTargets(repo: Repo, cwd: string, idx: DataIndex, targets: string[]): DataIndex {
  if (targets.length === 0) return idx;
  const rels = targets.map((t) => resolveTarget(repo, cwd, t));
  return new Map([...idx].filter(([p]) => rels.some((r) => p === r || p.startsWith(`${r}/`))));
}

export async function diffOp(
  repo: Repo,
  opts: DiffOptions,
): Promise<{ result: DiffResult; empty: boolean; warnings: string[] }> {
  const { resolveRevision } = await import("../../git/revparse.js");
  const aRev = opts.aRev ?? "HEAD";
  const readers: TreeReader[] = [new GitRevReader(repo.root, await resolveRevision(repo.root, aRev), aRev)];
  readers.push(
    opts.bRev
      ? new GitRevReader(repo.root, await resolveRevision(repo.root, opts.bRev), opts.bRev)
      : new WorkspaceReader(repo.root),
  );
  const warnings: string[] = [];
  const indexes: DataIndex[] = [];
  for (const r of readers) {
    const isWs = r instanceof WorkspaceReader;
    const c = await collectOutputs(r, isWs ? { workspace: { root: repo.root, ignore: repo.ignore } } : {});
    warnings.push(...c.warnings);
    const idx = isWs ? await indexFromWorkspace(repo, c.outputs) : await indexFromRecords(repo, c.outputs);
    indexes.push(filterTargets(repo, opts.cwd, idx, opts.targets));
  }
  const withMissing = !opts.bRev && !opts.hideMissing;
  const result = diffIndexes(
    indexes[0]!,
    indexes[1]!,
    withMissing ? (e) => repo.odb.has({ name: e.name, value: e.hash }) : undefined,
  );
  const empty =
    result.added.length +
      result.deleted.length +
      result.modified.length +
      result.renamed.length +
      (result["not in cache"]?.length ?? 0) ===
    0;
  return { result, empty, warnings };
}
