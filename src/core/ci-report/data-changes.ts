// The data changes between two revisions for a report: `dvx diff` (file level, inside tracked directories too)
// grouped per tracked output, and row counts for the changed text files. Directory manifests and file objects the
// comparison needs come from the cache or the default remote (ObjectSource); files past the size limit and binary
// files are named, not compared.
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { HashInfo, HashName } from "../../odb/types.js";
import type { DataSection, FileChange, OutputChange } from "../../report/report-model.js";
import { decodeText, isBinaryExtension, rowDiff, textKindOf } from "../../report/row-diff.js";
import type { Output } from "../../tracking/output.js";
import { diffOp, type DiffEntry } from "../ops/diff.js";
import type { Repo } from "../repo.js";
import { openRevFiles } from "../rev-files.js";
import type { ObjectSource } from "./object-source.js";

export interface DataChangeOptions {
  cwd: string;
  /** The base commit, and the head commit (undefined: the workspace). */
  base: string;
  head: string | undefined;
  targets: string[];
  /** Bytes: larger files are not compared. */
  textLimit: number;
  sampleRows: number;
  /** Files whose rows are compared, in all (the first ones listed). */
  maxCompare: number;
  /** Files listed per output. */
  maxListed: number;
}

interface OutputInfo {
  path: string;
  isDir: boolean;
  hashName: HashName;
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

type Manifest = HashInfo & { output: string };

/** Every cached output of either side, and the directory manifests of the revisions that are not in the cache. */
async function outputsOf(repo: Repo, o: DataChangeOptions): Promise<{ outputs: OutputInfo[]; manifests: Manifest[] }> {
  const sides = await Promise.all([openRevFiles(repo, o.base), openRevFiles(repo, o.head)]);
  const byPath = new Map<string, OutputInfo>();
  const manifests: Manifest[] = [];
  for (const side of sides) {
    const outs: Output[] = (await side.outputs()).outputs.filter((x) => x.cache);
    for (const x of outs) {
      const prev = byPath.get(x.path);
      const isDir = prev?.isDir === true || x.hash?.value.endsWith(".dir") === true;
      byPath.set(x.path, { path: x.path, isDir, hashName: x.hash?.name ?? prev?.hashName ?? "md5" });
      if (side.commit !== null && x.hash?.value.endsWith(".dir") && !repo.odb.has(x.hash))
        manifests.push({ ...x.hash, output: x.path });
    }
  }
  return { outputs: [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), manifests };
}

type Side = { kind: "object"; hash: HashInfo } | { kind: "file"; abs: string } | null;

interface Pending {
  change: FileChange;
  old: Side;
  new: Side;
}

async function sizeOf(side: Side, sizes: Map<string, number>): Promise<number | undefined> {
  if (side === null) return 0;
  if (side.kind === "object") return sizes.get(side.hash.value);
  return (await fs.stat(side.abs)).size;
}

async function bytesOf(repo: Repo, side: Side): Promise<Buffer | null> {
  if (side === null) return null;
  return side.kind === "file" ? fs.readFile(side.abs) : repo.odb.readBytes(side.hash);
}

/** Row counts (or why there are none) for the files in `pending`, in place. */
async function compareRows(repo: Repo, src: ObjectSource, pending: Pending[], o: DataChangeOptions): Promise<void> {
  const objects = pending.flatMap((p) => [p.old, p.new]).flatMap((s) => (s?.kind === "object" ? [s.hash] : []));
  const sizes = await src.sizes(objects);
  const wanted: Pending[] = [];
  for (const p of pending) {
    const [a, b] = [await sizeOf(p.old, sizes), await sizeOf(p.new, sizes)];
    if (a === undefined || b === undefined) p.change.skip = { kind: "unavailable", reason: src.missingReason() };
    else if (Math.max(a, b) > o.textLimit)
      p.change.skip = { kind: "too-large", size: Math.max(a, b), limit: o.textLimit };
    else wanted.push(p);
  }
  const want = wanted.flatMap((p) => [p.old, p.new]).flatMap((s) => (s?.kind === "object" ? [s.hash] : []));
  const missing = await src.ensure(want);
  for (const p of wanted) {
    if ([p.old, p.new].some((s) => s?.kind === "object" && missing.has(s.hash.value))) {
      p.change.skip = { kind: "unavailable", reason: src.missingReason() };
      continue;
    }
    const [a, b] = [await bytesOf(repo, p.old), await bytesOf(repo, p.new)];
    const [ta, tb] = [a === null ? null : decodeText(a), b === null ? null : decodeText(b)];
    if ((a !== null && ta === null) || (b !== null && tb === null)) p.change.skip = { kind: "binary" };
    else p.change.rows = rowDiff(ta, tb, textKindOf(p.change.path), { sampleRows: o.sampleRows });
  }
}

type Entry = { e: DiffEntry; status: FileChange["status"] };

const pathOf = (e: DiffEntry): string => (typeof e.path === "string" ? e.path : e.path.new);
const isDirEntry = (c: Entry): boolean => pathOf(c.e).endsWith("/");
const byPath =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The diff's entries by the output that holds them (the longest output path that is, or holds, the entry). */
function groupByOutput(entries: Entry[], outputs: OutputInfo[]): Array<{ info: OutputInfo; changes: Entry[] }> {
  const groups = new Map<string, { info: OutputInfo; changes: Entry[] }>();
  for (const c of entries) {
    const path = pathOf(c.e);
    const bare = path.endsWith("/") ? path.slice(0, -1) : path;
    const info = outputs.filter((x) => under(bare, x.path)).sort((a, b) => b.path.length - a.path.length)[0] ?? {
      path: bare,
      isDir: path.endsWith("/"),
      hashName: "md5" as const,
    };
    (groups.get(info.path) ?? groups.set(info.path, { info, changes: [] }).get(info.path)!).changes.push(c);
  }
  return [...groups.values()].sort(byPath((g) => g.info.path));
}

export async function gatherDataChanges(repo: Repo, src: ObjectSource, o: DataChangeOptions): Promise<DataSection> {
  const { outputs, manifests } = await outputsOf(repo, o);
  const missing = manifests.length > 0 ? await src.ensure(manifests, "fetch (directories)") : new Set<string>();
  // directories whose manifest at one side is still missing: their files are unknown there
  const unlistable = new Set(manifests.filter((h) => missing.has(h.value)).map((h) => h.output));
  const { result, warnings } = await diffOp(repo, {
    cwd: o.cwd,
    aRev: o.base,
    ...(o.head !== undefined ? { bRev: o.head } : {}),
    targets: o.targets,
    hideMissing: true,
  });
  const entries = (["added", "deleted", "modified", "renamed"] as const).flatMap((status) =>
    result[status].map((e): Entry => ({ e, status })),
  );
  const changed: OutputChange[] = [];
  const pending: Pending[] = [];
  for (const { info, changes } of groupByOutput(entries, outputs)) {
    // a changed directory is listed by its files, or by itself when they are unknown at one side
    const files = changes.filter((c) => isDirEntry(c) === unlistable.has(info.path)).sort(byPath((c) => pathOf(c.e)));
    const out: OutputChange = {
      output: info.path,
      isDir: info.isDir,
      counts: { added: 0, modified: 0, deleted: 0, renamed: 0 },
      files: [],
      unlisted: 0,
    };
    for (const [i, { e, status }] of files.entries()) {
      out.counts[status]++;
      if (i >= o.maxListed) {
        out.unlisted++;
        continue;
      }
      const change: FileChange = {
        path: pathOf(e),
        status,
        ...(typeof e.path !== "string" ? { from: e.path.old } : {}),
      };
      out.files.push(change);
      if (isDirEntry({ e, status })) change.skip = { kind: "unavailable", reason: `file list ${src.missingReason()}` };
      else if (status !== "renamed") pending.push(sideOf(repo, o, info, e, change));
    }
    if (files.length > 0) changed.push(out);
  }
  const toCompare: Pending[] = [];
  for (const p of pending) {
    if (isBinaryExtension(p.change.path)) p.change.skip = { kind: "binary" };
    else if (toCompare.length >= o.maxCompare) p.change.skip = { kind: "not-compared" };
    else toCompare.push(p);
  }
  await compareRows(repo, src, toCompare, o);
  return { outputCount: outputs.length, outputs: changed, textLimit: o.textLimit, problems: [...warnings] };
}

function sideOf(repo: Repo, o: DataChangeOptions, info: OutputInfo, e: DiffEntry, change: FileChange): Pending {
  const h = e.hash;
  const [oldHash, newHash] = h === undefined ? [undefined, undefined] : typeof h === "string" ? [h, h] : [h.old, h.new];
  const obj = (value: string | undefined): Side =>
    value === undefined ? null : { kind: "object", hash: { name: info.hashName, value } };
  const newSide: Side =
    change.status === "deleted"
      ? null
      : o.head === undefined
        ? { kind: "file", abs: join(repo.root, change.path) }
        : obj(newHash);
  return { change, old: change.status === "added" ? null : obj(oldHash), new: newSide };
}
