// dvx commit: store the current workspace version of tracked data in the cache and record it: .dvc files,
// and pipeline stages (their dvc.lock entry from the current deps, params and outputs, as DVC does without
// running anything). A stage that changed since its last run is committed only when confirmed (-f).
import { UsageError } from "../../errors.js";
import { stageStatus } from "../../pipeline/changes.js";
import { outputState } from "../data/output-state.js";
import { savePointerOutput, type SavedItem } from "../data/save-pointer.js";
import { applyGitFollowups, type GitFollowups } from "../git-followups.js";
import { withLock } from "../lock.js";
import { LockWriter } from "../pipeline/lock-writer.js";
import { observeStage, ParamsReader } from "../pipeline/observe.js";
import { loadProject } from "../pipeline/project.js";
import { recordStage } from "../pipeline/record.js";
import { resolveNodes } from "../pipeline/targets.js";
import type { Repo } from "../repo.js";
import { limiter } from "../../util/pool.js";

export interface CommitOptions {
  cwd: string;
  targets: string[];
  force?: boolean;
  /** Asked before committing a stage that changed since it last ran; absent: -f is required. */
  confirm?: (question: string) => Promise<boolean>;
  /** The caller holds the repository lock (exp save). */
  noLock?: boolean;
  /** Leave git alone: no autostage, no "git add" hint. */
  noGitFollowups?: boolean;
}

export interface CommitResult extends GitFollowups {
  /** .dvc outputs saved. */
  committed: SavedItem[];
  /** Stages whose dvc.lock entry was written. */
  stages: string[];
  warnings: string[];
}

export async function commitOp(repo: Repo, opts: CommitOptions): Promise<CommitResult> {
  return opts.noLock ? commitLocked(repo, opts) : withLock(repo, "dvx commit", () => commitLocked(repo, opts));
}

async function commitLocked(repo: Repo, opts: CommitOptions): Promise<CommitResult> {
  const project = await loadProject(repo);
  const ids =
    opts.targets.length > 0
      ? resolveNodes(repo, project, opts.cwd, opts.targets, { byOutput: true })
      : project.graph.nodes.map((n) => n.id);
  const pointers = new Map(project.pointers.map((p) => [p.file, p] as const));
  const warnings: string[] = [];
  const committed: SavedItem[] = [];
  const stages: string[] = [];
  const touched = new Set<string>();
  const params = new ParamsReader(repo.root);
  const locks = new LockWriter(repo, project);
  const rctx = { repo, locks, noCommit: false, serial: limiter(1), touched };
  for (const id of ids) {
    const rec = pointers.get(id);
    if (rec) {
      for (const out of rec.outs) {
        const st = await outputState(repo, out, false);
        if (st.status === "ok") continue;
        if (st.current === null) {
          warnings.push(`'${out.path}' does not exist in the workspace; nothing to commit for '${rec.file}'`);
          continue;
        }
        const { item, touched: t } = await savePointerOutput(repo, out.path, rec.file, rec, { store: true });
        committed.push(item);
        t.forEach((x) => touched.add(x));
      }
      continue;
    }
    const stage = project.stages.get(id)!;
    const entry = project.locks.get(stage.file)?.stages.get(stage.name);
    const obs = await observeStage(repo, stage, entry, params);
    // as DVC: outputs only missing from the cache are stored without asking; other changes need consent
    const changed =
      stageStatus(stage, { ...obs, outs: obs.outs.filter((o) => o.status !== "not in cache") }).filter(
        (c) => c !== "always changed",
      ).length > 0;
    if (!changed && !obs.outs.some((o) => o.status === "not in cache")) continue;
    if (changed && !opts.force) {
      const question = `Stage '${id}' changed since it last ran. Commit its current state anyway?`;
      if (!opts.confirm) {
        throw new UsageError(`stage '${id}' changed since it last ran and needs confirmation to be committed`, {
          hint: `run it in a terminal, or use -f: "dvx commit -f ${id}"`,
        });
      }
      if (!(await opts.confirm(question))) continue;
    }
    await recordStage(rctx, stage, obs);
    stages.push(id);
  }
  await repo.state().save();
  const followups = opts.noGitFollowups
    ? { gitAdd: [], staged: false }
    : await applyGitFollowups(repo, [...touched, ...locks.written]);
  return { committed, stages, warnings, ...followups };
}
