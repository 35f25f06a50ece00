// dvx remove: stop tracking outputs of .dvc files (the data stays unless --outs).
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { BadTargetError, PathNotFoundError } from "../../errors.js";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { removeIgnoreEntry } from "../../tracking/gitignore.js";
import { assertWritesStayInside } from "../../fsx/paths.js";
import { collectOutputs } from "../data/collect.js";
import { applyGitFollowups, type GitFollowups } from "../git-followups.js";
import { withLock } from "../lock.js";
import type { Repo } from "../repo.js";
import { resolveTarget } from "../targets.js";

export interface RemoveOptions {
  cwd: string;
  targets: string[];
  outs?: boolean;
}

export interface RemoveResult extends GitFollowups {
  removed: Array<{ pointerFile: string; outputs: string[]; deletedData: boolean }>;
}

export async function removeOp(repo: Repo, opts: RemoveOptions): Promise<RemoveResult> {
  return withLock(repo, "dvx remove", async () => {
    const collected = await collectOutputs(new WorkspaceReader(repo.root), {
      workspace: { root: repo.root, ignore: repo.ignore },
      pointersOnly: true,
    });
    const recs = opts.targets.map((t) => {
      const rel = resolveTarget(repo, opts.cwd, t);
      const file = rel.endsWith(".dvc") ? rel : `${rel}.dvc`;
      const rec = collected.pointers.find((p) => p.file === file);
      if (!rec) {
        if (!rel.endsWith(".dvc"))
          throw new BadTargetError(
            t,
            "it is not a .dvc file",
            `name the pointer file: dvx remove ${rel}.dvc (stages in dvc.yaml are removed by editing dvc.yaml)`,
          );
        throw new PathNotFoundError(t);
      }
      return rec;
    });
    const touched: string[] = [];
    const removed: RemoveResult["removed"] = [];
    for (const rec of recs) {
      for (const out of rec.outs) {
        const gi = await removeIgnoreEntry(repo.root, out.path);
        if (gi) touched.push(gi);
        if (opts.outs) {
          assertWritesStayInside(repo.root, join(repo.root, out.path), rec.file);
          await fs.rm(join(repo.root, out.path), { recursive: true, force: true });
        }
      }
      await fs.rm(join(repo.root, rec.file), { force: true });
      touched.push(rec.file);
      removed.push({ pointerFile: rec.file, outputs: rec.outs.map((o) => o.path), deletedData: opts.outs === true });
    }
    return { removed, ...(await applyGitFollowups(repo, touched)) };
  });
}
