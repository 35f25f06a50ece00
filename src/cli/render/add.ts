// `dvx add`: one line per target (added with its size, or unchanged).
import type { AddResult } from "../../core/ops/add.js";

export const addText = (res: AddResult): string =>
  res.added
    .map((a) =>
      a.changed
        ? `added ${a.path} (${a.nfiles !== undefined ? `${a.nfiles} files, ` : ""}${a.size} bytes)\n`
        : `${a.path} is unchanged\n`,
    )
    .join("");
