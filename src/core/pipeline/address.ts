// How DVC names a node to the user: stage addresses and paths relative to the current directory
// (`train` for ./dvc.yaml, `../dvc.yaml:train`, `sub/dvc.yaml:train`, `data.csv.dvc`).
import { posix, relative, resolve } from "node:path";
import { toPosix } from "../../fsx/paths.js";
import type { Repo } from "../repo.js";
import type { Project } from "./project.js";

export interface DisplayNames {
  /** A graph node (stage address or .dvc file path) as DVC shows it. */
  node(id: string): string;
  /** A repo-relative path, relative to the current directory. */
  path(p: string): string;
}

export function displayNames(repo: Repo, project: Project, cwd: string): DisplayNames {
  const cwdRel = toPosix(relative(repo.root, resolve(cwd)));
  const path = (p: string): string => (cwdRel === "" ? p : posix.relative(cwdRel, p) || ".");
  return {
    path,
    node: (id) => {
      const stage = project.stages.get(id);
      if (!stage) return path(id);
      const file = path(stage.file);
      return file === "dvc.yaml" ? stage.name : `${file}:${stage.name}`;
    },
  };
}
