// Which graph nodes a user's targets name, as DVC resolves them: a stage address ("train@1",
// "sub/dvc.yaml:train"), a stage name or foreach/matrix group of the dvc.yaml in the current directory (or,
// failing that, the only one with that name), a dvc.yaml file (all its stages; with `recursive`, a directory:
// every dvc.yaml under it), a .dvc file, or (with `byOutput`) a path produced by a stage or .dvc file.
import { posix, relative, resolve } from "node:path";
import { BadTargetError } from "../../errors.js";
import { toPosix } from "../../fsx/paths.js";
import type { Stage } from "../../pipeline/types.js";
import type { Repo } from "../repo.js";
import type { Project } from "./project.js";

export interface TargetOptions {
  recursive?: boolean;
  /** Also accept paths of outputs (and paths inside or above them): status, commit, checkout. */
  byOutput?: boolean;
}

const fileOf = (file: string): string => (file === "" ? "dvc.yaml" : `${file}/dvc.yaml`);

function stagesNamed(stages: Stage[], name: string): Stage[] {
  return stages.filter((s) => s.name === name || s.group === name);
}

/** Node ids (graph order) named by `targets`; throws BadTargetError naming the first unknown target. */
export function resolveNodes(
  repo: Repo,
  project: Project,
  cwd: string,
  targets: string[],
  opts: TargetOptions = {},
): string[] {
  const picked = new Set<string>();
  const cwdRel = toPosix(relative(repo.root, resolve(cwd)));
  const all = [...project.stages.values()];
  for (const target of targets) {
    const ids = resolveOne(project, cwdRel, all, target, opts);
    if (ids.length === 0) {
      const names = all.slice(0, 8).map((s) => s.address);
      throw new BadTargetError(
        target,
        "it is not a stage, a dvc.yaml or a .dvc file of this project",
        names.length > 0 ? `stages here include: ${names.join(", ")} (see "dvx stage list")` : 'see "dvx stage list"',
      );
    }
    ids.forEach((id) => picked.add(id));
  }
  return project.graph.nodes.map((n) => n.id).filter((id) => picked.has(id));
}

function resolveOne(project: Project, cwdRel: string, all: Stage[], target: string, opts: TargetOptions): string[] {
  const colon = target.lastIndexOf(":");
  if (colon > 0 && /dvc\.yaml$/.test(target.slice(0, colon))) {
    const file = repoPath(cwdRel, target.slice(0, colon));
    return stagesNamed(
      all.filter((s) => s.file === file),
      target.slice(colon + 1),
    ).map((s) => s.address);
  }
  if (project.stages.has(target)) return [target];
  const here = fileOf(cwdRel);
  const local = stagesNamed(
    all.filter((s) => s.file === here),
    target,
  );
  if (local.length > 0) return local.map((s) => s.address);
  const rel = repoPath(cwdRel, target);
  if (project.graph.byId.get(rel)?.kind === "pointer") return [rel];
  if (posix.basename(rel) === "dvc.yaml" && project.pipelines.has(rel)) {
    return project.pipelines.get(rel)!.stages.map((s) => s.address);
  }
  if (opts.recursive) {
    const under = all.filter((s) => rel === "" || s.file.startsWith(`${rel}/`)).map((s) => s.address);
    const pointers = project.pointers.filter((p) => rel === "" || p.file.startsWith(`${rel}/`)).map((p) => p.file);
    if (under.length + pointers.length > 0) return [...pointers, ...under];
  }
  const named = stagesNamed(all, target);
  if (named.length > 0 && new Set(named.map((s) => s.file)).size === 1) return named.map((s) => s.address);
  if (opts.byOutput) {
    const ids = new Set<string>();
    for (const [out, id] of project.graph.producers) {
      if (out === rel || rel.startsWith(`${out}/`) || out.startsWith(`${rel}/`) || rel === "") ids.add(id);
    }
    return [...ids];
  }
  return [];
}

/** A target path relative to the cwd, as a repo-relative POSIX path. */
function repoPath(cwdRel: string, target: string): string {
  const joined = posix.normalize(cwdRel === "" ? target : `${cwdRel}/${target}`);
  return joined === "." ? "" : joined.replace(/\/+$/, "");
}
