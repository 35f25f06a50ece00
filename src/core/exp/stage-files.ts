// The files an experiment commit takes besides what git already tracks (DVC's _get_stage_files and
// _get_top_level_paths): for each stage of the run its dvc.yaml and dvc.lock, params files, dependencies that DVC
// does not track (code), outputs kept out of the cache (metrics.json), the .gitignore files beside cached
// outputs; and the top-level metrics, params and plots files of every dvc.yaml. Repo-relative, POSIX.
import { posix } from "node:path";
import { lockPathFor } from "../../pipeline/lockfile.js";
import type { Stage } from "../../pipeline/types.js";
import type { Project } from "../pipeline/project.js";

/** Paths DVC tracks itself (cached outputs of stages and .dvc files): never committed to git. */
function dvcTracked(project: Project): (p: string) => boolean {
  const tracked: string[] = [];
  for (const s of project.stages.values()) for (const o of s.outs) if (o.cache) tracked.push(o.path);
  for (const rec of project.pointers) for (const o of rec.outs) tracked.push(o.path);
  return (p) => tracked.some((t) => p === t || p.startsWith(`${t}/`));
}

/** Files named by top-level `plots:` entries (a path, or the keys of an entry's x/y mappings). */
function plotSources(dir: string, plots: unknown[]): string[] {
  const out: string[] = [];
  const add = (p: unknown): void => {
    if (typeof p === "string" && p !== "") out.push(posix.normalize(posix.join(dir, p)));
  };
  for (const entry of plots) {
    if (typeof entry === "string") add(entry);
    else if (entry !== null && typeof entry === "object") {
      for (const [id, def] of Object.entries(entry as Record<string, unknown>)) {
        const d = (def ?? {}) as Record<string, unknown>;
        const files = [d.x, d.y].filter((v) => v !== null && typeof v === "object") as Record<string, unknown>[];
        if (files.length === 0) add(id);
        for (const f of files) Object.keys(f).forEach(add);
      }
    }
  }
  return out;
}

export function stageFiles(project: Project, stages: Iterable<Stage>): Set<string> {
  const isTracked = dvcTracked(project);
  const out = new Set<string>();
  const add = (p: string): void => {
    if (p !== "" && !p.startsWith("../") && !isTracked(p)) out.add(p);
  };
  for (const s of stages) {
    add(s.file);
    add(lockPathFor(s.file));
    for (const p of s.params) add(p.file);
    for (const d of s.deps) if (!d.external) add(d.path);
    for (const o of s.outs) {
      if (!o.cache) add(o.path);
      else add(posix.join(posix.dirname(o.path), ".gitignore").replace(/^\.\//, ""));
    }
  }
  for (const [file, pipeline] of project.pipelines) {
    const dir = posix.dirname(file) === "." ? "" : posix.dirname(file);
    [...pipeline.metrics, ...pipeline.params].forEach(add);
    plotSources(dir, pipeline.plots).forEach(add);
  }
  for (const rec of project.pointers) {
    add(rec.file);
    for (const o of rec.outs) add(posix.join(posix.dirname(o.path), ".gitignore").replace(/^\.\//, ""));
  }
  return out;
}
