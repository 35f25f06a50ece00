// Pipeline outputs with their dvc.lock records: what status/diff/push/pull/checkout need from a dvc.yaml.
// When dvc.yaml cannot be resolved (e.g. a vars file missing at an old revision) the outputs recorded
// in dvc.lock are used instead, with default flags, and a warning is returned rather than thrown.
import type { TreeReader } from "../git/tree-reader.js";
import { AppError } from "../errors.js";
import { loadPipeline, type LoadOptions } from "./load.js";
import { lockPathFor, readLockFile } from "./lockfile.js";
import { dirOf, joinRepo, normalizeDecl } from "./paths.js";
import type { LockFile, LockItem, StageOut } from "./types.js";

export interface PipelineOutput {
  /** Stage name as in dvc.lock ("train@small"). */
  stage: string;
  /** DVC_STAGE-style address ("sub/dvc.yaml:train" outside the root). */
  address: string;
  out: StageOut;
  /** The matching lock item (same stage, same path), when the lock records one. */
  lock?: LockItem;
}

export interface PipelineOutputs {
  file: string;
  lockFile: string;
  /** "dvc.yaml" normally; "dvc.lock" when dvc.yaml could not be resolved. */
  source: "dvc.yaml" | "dvc.lock";
  outputs: PipelineOutput[];
  /** Human-readable warnings (one per fallback), for stderr. */
  warnings: string[];
  /** Code of the error that made us fall back to dvc.lock (source "dvc.lock"). */
  fallbackCode?: string;
}

/** Errors in dvc.yaml (or the files it reads) that make us fall back to the lock instead of failing. */
const FALLBACK_CODES = new Set(["PIPELINE_RESOLVE", "PIPELINE_SCHEMA", "PARAMS_FILE"]);

export async function collectPipelineOutputs(
  reader: TreeReader,
  dvcYamlPath: string,
  opts: LoadOptions = {},
): Promise<PipelineOutputs> {
  const lockFile = lockPathFor(dvcYamlPath);
  const lock = await readLockFile(reader, lockFile);
  const address = (name: string): string => (dvcYamlPath === "dvc.yaml" ? name : `${dvcYamlPath}:${name}`);
  try {
    const pipeline = await loadPipeline(reader, dvcYamlPath, opts);
    const outputs: PipelineOutput[] = [];
    for (const stage of pipeline.stages) {
      const byPath = lockItemsByPath(lock, stage.name);
      for (const out of stage.outs) {
        const item = byPath.get(normalizeDecl(out.decl));
        outputs.push(
          item
            ? { stage: stage.name, address: stage.address, out, lock: item }
            : { stage: stage.name, address: stage.address, out },
        );
      }
    }
    return { file: dvcYamlPath, lockFile, source: "dvc.yaml", outputs, warnings: [] };
  } catch (err) {
    if (!(err instanceof AppError) || !FALLBACK_CODES.has(err.code)) throw err;
    const warning =
      `${err.message} (at ${reader.label}); ` +
      `using the outputs recorded in '${lockFile}'${lock ? "" : ", which does not exist"}`;
    const outputs = lockOutputs(lock, dvcYamlPath, lockFile, address);
    return { file: dvcYamlPath, lockFile, source: "dvc.lock", outputs, warnings: [warning], fallbackCode: err.code };
  }
}

function lockItemsByPath(lock: LockFile | null, stage: string): Map<string, LockItem> {
  const map = new Map<string, LockItem>();
  for (const item of lock?.stages.get(stage)?.outs ?? []) map.set(normalizeDecl(item.path), item);
  return map;
}

/** Outputs straight from the lock; the stage wdir is unknown here, so paths are taken relative to dvc.yaml's dir. */
function lockOutputs(
  lock: LockFile | null,
  dvcYamlPath: string,
  lockFile: string,
  address: (n: string) => string,
): PipelineOutput[] {
  const dir = dirOf(dvcYamlPath);
  const outputs: PipelineOutput[] = [];
  for (const [stage, entry] of lock?.stages ?? []) {
    for (const item of entry.outs) {
      const out: StageOut = {
        path: joinRepo(dir, item.path, lockFile),
        decl: item.path,
        cache: true,
        persist: false,
        push: true,
        kind: "outs",
        extra: {},
      };
      outputs.push({ stage, address: address(stage), out, lock: item });
    }
  }
  return outputs;
}
