// `dvx commit`: one line per committed output and stage, or that there was nothing to commit.
import type { CommitResult } from "../../core/ops/commit.js";

export const commitText = (res: CommitResult): string =>
  res.committed.length + res.stages.length === 0
    ? "nothing to commit\n"
    : res.committed.map((c) => `committed ${c.path}\n`).join("") +
      res.stages.map((s) => `committed stage ${s}\n`).join("");
