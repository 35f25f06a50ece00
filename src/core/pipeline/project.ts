// The whole pipeline project of the workspace: every dvc.yaml (with its dvc.lock) and every .dvc file, found
// the way DVC finds them (top-down, entries in the order the filesystem lists them, never descending into
// outputs, ignored directories or nested DVC projects), and the DAG over them (docs/formats.md §8, §9.3).
import { existsSync, opendirSync, readFileSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { errCode } from "../../fsx/atomic.js";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { buildGraph, type GraphNode, type PipelineGraph } from "../../pipeline/graph.js";
import { loadPipeline } from "../../pipeline/load.js";
import { lockPathFor, parseLockFile } from "../../pipeline/lockfile.js";
import type { LockFile, Pipeline, Stage } from "../../pipeline/types.js";
import { parsePointerFile } from "../../tracking/pointer-file.js";
import { pointerOutputs, type PointerRecord } from "../data/collect.js";
import type { Repo } from "../repo.js";

export interface Project {
  /** dvc.yaml files (repo-relative) in discovery order. */
  files: string[];
  pipelines: Map<string, Pipeline>;
  /** dvc.yaml path → its dvc.lock (null when there is none yet). */
  locks: Map<string, LockFile | null>;
  pointers: PointerRecord[];
  /** Stage address → stage. */
  stages: Map<string, Stage>;
  graph: PipelineGraph;
}

/** Directory entries in the order the filesystem returns them (as DVC's os.scandir; fs.readdir sorts them). */
function listRaw(abs: string): Dirent[] {
  const dir = opendirSync(abs);
  const out: Dirent[] = [];
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) out.push(e);
  } finally {
    dir.closeSync();
  }
  return out;
}

const isPointerName = (name: string): boolean => name.endsWith(".dvc") && name !== ".dvc";

export async function loadProject(repo: Repo): Promise<Project> {
  const reader = new WorkspaceReader(repo.root);
  const project: Project = {
    files: [],
    pipelines: new Map(),
    locks: new Map(),
    pointers: [],
    stages: new Map(),
    graph: buildGraph([]),
  };
  const nodes: GraphNode[] = [];
  const outs = new Set<string>();
  const loadOpts = { parsing: repo.settings.config.parsing };

  const addPipeline = async (path: string): Promise<void> => {
    const pipeline = await loadPipeline(reader, path, loadOpts);
    const lockPath = lockPathFor(path);
    const text = await reader.readFile(lockPath);
    project.files.push(path);
    project.pipelines.set(path, pipeline);
    project.locks.set(path, text === null ? null : parseLockFile(text.toString("utf8"), lockPath));
    for (const stage of pipeline.stages) {
      project.stages.set(stage.address, stage);
      for (const o of stage.outs) outs.add(o.path);
      const deps = stage.deps.filter((d) => !d.external).map((d) => d.path);
      nodes.push({ id: stage.address, kind: "stage", outs: stage.outs.map((o) => o.path), deps });
    }
  };
  const addPointer = (path: string): void => {
    const text = readFileSync(join(repo.root, path), "utf8");
    const pf = parsePointerFile(text, path);
    const rec: PointerRecord = { file: path, text, pf, outs: pointerOutputs(path, pf) };
    project.pointers.push(rec);
    for (const o of rec.outs) outs.add(o.path);
    nodes.push({ id: path, kind: "pointer", outs: rec.outs.map((o) => o.path), deps: [] });
  };

  const visit = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = listRaw(rel === "" ? repo.root : join(repo.root, rel));
    } catch (err) {
      if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return; // vanished while we walked
      throw err;
    }
    const at = (name: string): string => (rel === "" ? name : `${rel}/${name}`);
    for (const e of entries) {
      if (!e.isFile()) continue;
      const p = at(e.name);
      if (e.name === "dvc.yaml" && !repo.ignore.ignoresEntry(p, false)) await addPipeline(p);
      else if (isPointerName(e.name) && !repo.ignore.ignoresEntry(p, false)) addPointer(p);
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = at(e.name);
      if (outs.has(p) || repo.ignore.ignoresEntry(p, true) || existsSync(join(repo.root, p, ".dvc"))) continue;
      await visit(p);
    }
  };
  await visit("");
  project.graph = buildGraph(nodes);
  return project;
}
