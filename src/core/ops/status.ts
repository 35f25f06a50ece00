// dvx status: what differs between the workspace, the .dvc files, dvc.lock and the cache, for every .dvc file
// and pipeline stage (docs/formats.md §9.2). Result shape = DVC's `status --json`:
// { "<file.dvc>": [{ "changed outs": { "<path>": "modified" } }], "train": [{ "changed deps": {…} }, …] }.
import { stageStatus, type StatusEntry as StageStatusEntry } from "../../pipeline/changes.js";
import { planSteps } from "../../pipeline/graph.js";
import type { PointerRecord } from "../data/collect.js";
import { outputState } from "../data/output-state.js";
import { observeStage, ParamsReader } from "../pipeline/observe.js";
import { loadProject } from "../pipeline/project.js";
import { resolveNodes } from "../pipeline/targets.js";
import type { Repo } from "../repo.js";

export interface StatusOptions {
  cwd: string;
  targets: string[];
  /** Also the stages the targets depend on (DVC's --with-deps). */
  withDeps?: boolean;
  recursive?: boolean;
}

export type StatusEntry = StageStatusEntry | "changed checksum";

export interface StatusResult {
  /** Stage address or .dvc file → changes; empty when everything is up to date. */
  changes: Record<string, StatusEntry[]>;
  warnings: string[];
}

async function pointerStatus(repo: Repo, rec: PointerRecord): Promise<StatusEntry[]> {
  const entries: StatusEntry[] = [];
  const outs: Record<string, string> = {};
  for (const out of rec.outs) {
    const st = await outputState(repo, out, false);
    if (st.status !== "ok") outs[out.path] = st.status;
  }
  if (Object.keys(outs).length > 0) entries.push({ "changed outs": outs });
  // a stage checksum that no longer matches (imports; legacy md5 on plain adds)
  if (rec.pf.md5 !== undefined && rec.pf.deps.length === 0) entries.push("changed checksum");
  return entries;
}

export async function statusOp(repo: Repo, opts: StatusOptions): Promise<StatusResult> {
  // status writes nothing: a path that is a .dvc output and a stage's dependency is hashed once
  repo.hashMemo = new Map();
  try {
    return await pipelineStatus(repo, opts);
  } finally {
    delete repo.hashMemo;
  }
}

async function pipelineStatus(repo: Repo, opts: StatusOptions): Promise<StatusResult> {
  const project = await loadProject(repo);
  let ids = project.graph.nodes.map((n) => n.id);
  if (opts.targets.length > 0) {
    ids = resolveNodes(repo, project, opts.cwd, opts.targets, { byOutput: true, recursive: opts.recursive === true });
    if (opts.withDeps) ids = planSteps(project.graph, ids);
  }
  const changes: Record<string, StatusEntry[]> = {};
  const warnings: string[] = [];
  const params = new ParamsReader(repo.root);
  const pointers = new Map(project.pointers.map((p) => [p.file, p] as const));
  for (const id of ids) {
    const rec = pointers.get(id);
    let entries: StatusEntry[];
    if (rec) entries = await pointerStatus(repo, rec);
    else {
      const stage = project.stages.get(id)!;
      if (stage.frozen) warnings.push(`stage '${id}' is frozen: its dependencies are not checked`);
      const entry = project.locks.get(stage.file)?.stages.get(stage.name);
      const obs = await observeStage(repo, stage, entry, params, { deps: !stage.frozen });
      entries = stageStatus(stage, obs);
    }
    if (entries.length > 0) changes[id] = entries;
  }
  await repo.state().save();
  return { changes, warnings };
}
