// `dvx gc` summaries: what was (or would be) removed and kept, per place; an aborted sweep goes to stderr.
import type { GcResult } from "../../core/ops/gc.js";
import type { RemoteGcResult } from "../../core/ops/remote-gc.js";

export interface GcLine {
  stream: "stdout" | "stderr";
  text: string;
}

export function gcLines(local: GcResult, cloud: RemoteGcResult | undefined, dry: boolean): GcLine[] {
  const verb = dry ? "would remove" : "removed";
  const lines: GcLine[] = [
    local.aborted
      ? { stream: "stderr", text: "gc aborted, nothing was deleted\n" }
      : { stream: "stdout", text: `${verb} ${local.removed.length} object(s) from the cache, kept ${local.kept}\n` },
  ];
  if (cloud)
    lines.push(
      cloud.aborted
        ? { stream: "stderr", text: "remote gc aborted, nothing was deleted\n" }
        : {
            stream: "stdout",
            text: `${verb} ${cloud.removed.length} object(s) from remote '${cloud.remote}', kept ${cloud.kept}\n`,
          },
    );
  return lines;
}

/** The question asked before deleting (without -f). */
export const gcQuestion = (what: string, s: { remove: number; keep: number }): string =>
  `This will delete ${s.remove} object(s) from the ${what} and keep ${s.keep}. Continue?`;
