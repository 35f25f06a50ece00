// Finds every tracked output of a tree (workspace or git revision): .dvc pointer files and the
// outputs of dvc.yaml stages (with their dvc.lock records).
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { AppError } from "../../errors.js";
import type { DvcIgnore } from "../../fsx/dvcignore.js";
import type { TreeReader } from "../../git/tree-reader.js";
import type { LockItem, StageOut } from "../../pipeline/types.js";
import type { Output } from "../../tracking/output.js";
import { parsePointerFile, type PointerFile } from "../../tracking/pointer-file.js";

export interface PointerRecord {
  /** Repo-relative path of the .dvc file. */
  file: string;
  text: string;
  pf: PointerFile;
  outs: Output[];
}

export interface Collected {
  pointers: PointerRecord[];
  /** Every output: pointer outputs first (by file path), then pipeline outputs. */
  outputs: Output[];
  /** Repo-relative dvc.yaml paths found. */
  pipelines: string[];
  warnings: string[];
}

const isPointerName = (name: string): boolean => name.endsWith(".dvc") && name !== ".dvc";
const isPipelineName = (name: string): boolean => name === "dvc.yaml";

/** Walks the workspace for .dvc / dvc.yaml files, never descending into directories they track. */
async function discoverWorkspace(
  root: string,
  ignore: DvcIgnore,
): Promise<{ pointers: string[]; pipelines: string[]; texts: Map<string, string> }> {
  const pointers: string[] = [];
  const pipelines: string[] = [];
  const texts = new Map<string, string>();
  const visit = async (rel: string): Promise<void> => {
    const ents = readdirSync(join(root, rel), { withFileTypes: true });
    const prune = new Set<string>();
    for (const e of ents) {
      if (!e.isFile()) continue;
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (isPointerName(e.name) && !ignore.ignoresEntry(p, false)) {
        const text = readFileSync(join(root, p), "utf8");
        texts.set(p, text);
        pointers.push(p);
        prune.add(e.name.slice(0, -4)); // "images.dvc" tracks "images" here (the usual layout)
      } else if (isPipelineName(e.name) && !ignore.ignoresEntry(p, false)) {
        pipelines.push(p);
      }
    }
    for (const e of ents) {
      if (!e.isDirectory() || prune.has(e.name)) continue;
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (ignore.ignoresEntry(p, true)) continue;
      await visit(p);
    }
  };
  await visit("");
  return { pointers: pointers.sort(), pipelines: pipelines.sort(), texts };
}

export function pointerOutputs(file: string, pf: PointerFile): Output[] {
  const dir = posix.dirname(file) === "." ? "" : posix.dirname(file);
  return pf.outs.map((o) => ({
    path: dir === "" ? o.path : posix.join(dir, o.path),
    owner: file,
    ...(o.hash ? { hash: o.hash } : {}),
    ...(o.size !== undefined ? { size: o.size } : {}),
    ...(o.nfiles !== undefined ? { nfiles: o.nfiles } : {}),
    ...(o.isexec ? { isexec: true } : {}),
    cache: o.cache,
    push: o.push,
    ...(o.remote !== undefined ? { remote: o.remote } : {}),
  }));
}

/** The Output of a stage's `out` with its dvc.lock record (`lockPath` owns it). */
export function stageOutput(lockPath: string, stage: string, out: StageOut, lock: LockItem | undefined): Output {
  return {
    path: out.path,
    owner: lockPath,
    stage,
    ...(lock?.md5 ? { hash: { name: lock.hash === "md5" ? "md5" : "md5-dos2unix", value: lock.md5 } } : {}),
    ...(lock?.size !== undefined ? { size: lock.size } : {}),
    ...(lock?.nfiles !== undefined ? { nfiles: lock.nfiles } : {}),
    ...(lock?.isexec ? { isexec: true } : {}),
    cache: out.cache,
    push: out.push,
    ...(out.remote !== undefined ? { remote: out.remote } : {}),
  };
}

export interface CollectOptions {
  /** Set for the workspace: enables the pruned walk and .dvcignore. */
  workspace?: { root: string; ignore: DvcIgnore };
  /** Skip dvc.yaml outputs (faster when only pointer files matter). */
  pointersOnly?: boolean;
}

export async function collectOutputs(reader: TreeReader, opts: CollectOptions = {}): Promise<Collected> {
  let pointerFiles: string[];
  let pipelines: string[];
  let texts = new Map<string, string>();
  if (opts.workspace) {
    ({
      pointers: pointerFiles,
      pipelines,
      texts,
    } = await discoverWorkspace(opts.workspace.root, opts.workspace.ignore));
  } else {
    const all = await reader.listFiles((p) => isPointerName(posix.basename(p)) || isPipelineName(posix.basename(p)));
    pointerFiles = all.filter((p) => isPointerName(posix.basename(p))).sort();
    pipelines = all.filter((p) => isPipelineName(posix.basename(p))).sort();
  }
  const pointers: PointerRecord[] = [];
  for (const file of pointerFiles) {
    const text = texts.get(file) ?? (await reader.readFile(file))?.toString("utf8");
    if (text === undefined) continue;
    const pf = parsePointerFile(text, file);
    pointers.push({ file, text, pf, outs: pointerOutputs(file, pf) });
  }
  const outputs: Output[] = pointers.flatMap((p) => p.outs);
  const warnings: string[] = [];
  if (!opts.pointersOnly && pipelines.length > 0) {
    const { collectPipelineOutputs } = await import("../../pipeline/outputs.js");
    for (const dvcYaml of pipelines) {
      const lockPath = dvcYaml.replace(/dvc\.yaml$/, "dvc.lock");
      try {
        const items = await collectPipelineOutputs(reader, dvcYaml);
        for (const { stage, out, lock } of items.outputs) outputs.push(stageOutput(lockPath, stage, out, lock));
        warnings.push(...items.warnings);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        warnings.push(`${dvcYaml} at ${reader.label}: ${err.message}`);
      }
    }
  }
  return { pointers, outputs, pipelines, warnings };
}
