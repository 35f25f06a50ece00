// Picks the outputs named by user targets: a .dvc file, a dvc.yaml stage name, a tracked path, a path
// inside a tracked directory, or a directory holding tracked outputs. No targets = everything.
import { BadTargetError } from "../errors.js";
import { ownerLabel, type Output } from "../tracking/output.js";
import type { Repo } from "./repo.js";
import { resolveTarget } from "./targets.js";

export function selectOutputs(repo: Repo, outputs: Output[], cwd: string, targets: string[]): Output[] {
  if (targets.length === 0) return outputs;
  const picked = new Set<Output>();
  for (const t of targets) {
    const byStage = outputs.filter((o) => o.stage !== undefined && (o.stage === t || ownerLabel(o) === t));
    if (byStage.length > 0) {
      byStage.forEach((o) => picked.add(o));
      continue;
    }
    const rel = resolveTarget(repo, cwd, t);
    const hits = outputs.filter(
      (o) => o.owner === rel || o.path === rel || rel.startsWith(`${o.path}/`) || o.path.startsWith(`${rel}/`),
    );
    if (hits.length === 0) {
      throw new BadTargetError(
        t,
        "it is not tracked by any .dvc file or pipeline stage",
        `track it with "dvx add ${t}"`,
      );
    }
    hits.forEach((o) => picked.add(o));
  }
  return outputs.filter((o) => picked.has(o));
}
