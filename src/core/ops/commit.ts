// dvx commit: store the current workspace version of tracked outputs in the cache and record it.
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { collectOutputs } from "../data/collect.js";
import { applyGitFollowups, type GitFollowups } from "../git-followups.js";
import { withLock } from "../lock.js";
import { outputState } from "../data/output-state.js";
import type { Repo } from "../repo.js";
import { savePointerOutput, type SavedItem } from "../data/save-pointer.js";
import { selectOutputs } from "../select.js";

export interface CommitOptions {
  cwd: string;
  targets: string[];
  force?: boolean;
}

export interface CommitResult extends GitFollowups {
  committed: SavedItem[];
  warnings: string[];
}

export async function commitOp(repo: Repo, opts: CommitOptions): Promise<CommitResult> {
  return withLock(repo, "dvx commit", async () => {
    const collected = await collectOutputs(new WorkspaceReader(repo.root), {
      workspace: { root: repo.root, ignore: repo.ignore },
    });
    const selected = selectOutputs(repo, collected.outputs, opts.cwd, opts.targets);
    const warnings = [...collected.warnings];
    const committed: SavedItem[] = [];
    const touched: string[] = [];
    for (const out of selected) {
      if (out.stage !== undefined) {
        warnings.push(
          `'${out.path}' is an output of stage '${out.stage}': ` +
            `committing pipeline outputs comes with "dvx repro"; skipped`,
        );
        continue;
      }
      const st = await outputState(repo, out, false);
      if (st.status === "ok") continue;
      if (st.status === "deleted") {
        warnings.push(`'${out.path}' does not exist in the workspace; nothing to commit for '${out.owner}'`);
        continue;
      }
      const rec = collected.pointers.find((p) => p.file === out.owner);
      const { item, touched: t } = await savePointerOutput(repo, out.path, out.owner, rec, { store: true });
      committed.push(item);
      touched.push(...t);
    }
    await repo.state().save();
    return { committed, warnings, ...(await applyGitFollowups(repo, touched)) };
  });
}
