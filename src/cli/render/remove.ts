// `dvx remove`: one line per removed .dvc file (and the data, with --outs).
import type { RemoveResult } from "../../core/ops/remove.js";

export const removeText = (res: RemoveResult): string =>
  res.removed.map((r) => `removed ${r.pointerFile}${r.deletedData ? ` and ${r.outputs.join(", ")}` : ""}\n`).join("");
