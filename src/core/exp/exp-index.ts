// What a revision's dvc.lock and .dvc files record, read through RevFiles (so a memoising one parses each blob
// once): `exp show`'s `deps` and `outs` (DVC's SerializableExp.from_repo over repo.index: every stage dependency
// except params and imports from other repos, every output except metrics and plots, with the hash, size and file
// count recorded) and the tracked outputs that rev-files reads cached metrics through. Stages come in DVC's walk
// order: a directory's own files (by name) before its subdirectories'.
import { posix } from "node:path";
import type { ExpDep, ExpOut } from "../../metrics/exp-state.js";
import { parseLockFile } from "../../pipeline/lockfile.js";
import { dirOf, isExternalPath, normalizeDecl } from "../../pipeline/paths.js";
import type { LockFile, LockItem, Pipeline } from "../../pipeline/types.js";
import type { Output } from "../../tracking/output.js";
import { parsePointerFile, type PointerFile } from "../../tracking/pointer-file.js";
import { pointerOutputs, stageOutput, type Collected, type PointerRecord } from "../data/collect.js";
import { readParsed, type RevFiles } from "../rev-files.js";

export interface DepsAndOuts {
  deps: Record<string, ExpDep>;
  outs: Record<string, ExpOut>;
}

/** Top-down walk order: at the first differing component, a file before a directory, else by name. */
export function walkOrder(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const fileA = i === pa.length - 1;
    const fileB = i === pb.length - 1;
    if (fileA !== fileB) return fileA ? -1 : 1;
    return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The dvc.lock beside a dvc.yaml, or null; its AppError is thrown (DVC cannot build its index then). */
async function lockOf(files: RevFiles, p: Pipeline): Promise<LockFile | null> {
  const path = posix.join(dirOf(p.file), "dvc.lock");
  if ((await files.reader.readFile(path)) === null) return null;
  const lock = await readParsed(files, path, "lock", parseLockFile);
  if (!lock.ok) throw lock.error;
  return lock.value;
}

async function pointerOf(files: RevFiles, file: string): Promise<PointerFile> {
  const parsed = await readParsed(files, file, "pointer", parsePointerFile);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function lockHash(item: LockItem | undefined): ExpDep {
  if (item === undefined) return { hash: null, size: null, nfiles: null };
  const hash = item.md5 ?? str(item.extra.etag) ?? str(item.extra.checksum);
  return { hash, size: item.size ?? null, nfiles: item.nfiles ?? null };
}

const byDecl = (items: readonly LockItem[] | undefined): Map<string, LockItem> =>
  new Map((items ?? []).map((i) => [normalizeDecl(i.path), i]));

async function stageRows(files: RevFiles, p: Pipeline, out: DepsAndOuts): Promise<void> {
  const lock = await lockOf(files, p);
  for (const stage of p.stages) {
    const entry = lock?.stages.get(stage.name);
    const deps = byDecl(entry?.deps);
    const outs = byDecl(entry?.outs);
    for (const d of stage.deps) out.deps[d.path] = lockHash(deps.get(normalizeDecl(d.decl)));
    for (const o of stage.outs) {
      if (o.kind !== "outs") continue;
      out.outs[o.path] = { ...lockHash(outs.get(normalizeDecl(o.decl))), use_cache: o.cache, is_data_source: false };
    }
  }
}

async function pointerRows(files: RevFiles, file: string, out: DepsAndOuts): Promise<void> {
  const pf = await pointerOf(files, file);
  const dir = dirOf(file);
  for (const raw of pf.deps as Array<Record<string, unknown>>) {
    if (raw.repo !== undefined || raw.db !== undefined || raw.dataset !== undefined) continue; // not file deps
    const decl = String(raw.path);
    const path = isExternalPath(decl) ? decl : posix.normalize(dir === "" ? decl : `${dir}/${decl}`);
    const hash = str(raw.md5) ?? str(raw.etag) ?? str(raw.checksum);
    out.deps[path] = { hash, size: num(raw.size), nfiles: num(raw.nfiles) };
  }
  for (const o of pointerOutputs(file, pf))
    out.outs[o.path] = {
      hash: o.hash?.value ?? null,
      size: o.size ?? null,
      nfiles: o.nfiles ?? null,
      use_cache: o.cache,
      is_data_source: true,
    };
}

/** Deps and outs of a revision whose pipelines loaded; `dvcFiles` = its dvc.yaml and .dvc files. */
export async function depsAndOuts(
  files: RevFiles,
  pipelines: readonly Pipeline[],
  dvcFiles: readonly string[],
): Promise<DepsAndOuts> {
  const out: DepsAndOuts = { deps: {}, outs: {} };
  const byFile = new Map(pipelines.map((p) => [p.file, p]));
  for (const file of [...dvcFiles].sort(walkOrder)) {
    const p = byFile.get(file);
    if (p) await stageRows(files, p, out);
    else if (file.endsWith(".dvc")) await pointerRows(files, file, out);
  }
  return out;
}

/** collectOutputs' answer (pointer outputs, then each stage's outputs with their lock records) from parsed files. */
export async function trackedOutputs(
  files: RevFiles,
  pipelines: readonly Pipeline[],
  dvcFiles: readonly string[],
): Promise<Collected> {
  const pointers: PointerRecord[] = [];
  for (const file of dvcFiles.filter((f) => f.endsWith(".dvc"))) {
    const pf = await pointerOf(files, file);
    const text = (await files.reader.readFile(file))?.toString("utf8") ?? "";
    pointers.push({ file, text, pf, outs: pointerOutputs(file, pf) });
  }
  const outputs: Output[] = pointers.flatMap((p) => p.outs);
  for (const p of pipelines) {
    const lock = await lockOf(files, p);
    const owner = posix.join(dirOf(p.file), "dvc.lock");
    for (const stage of p.stages) {
      const items = byDecl(lock?.stages.get(stage.name)?.outs);
      for (const o of stage.outs) {
        outputs.push(stageOutput(owner, stage.name, o, items.get(normalizeDecl(o.decl))));
      }
    }
  }
  return { pointers, outputs, pipelines: pipelines.map((p) => p.file), warnings: [] };
}
