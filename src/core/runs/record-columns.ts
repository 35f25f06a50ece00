// The run-record columns of `dvx exp show --record duration,status,…`: for each experiment commit, fields of its
// newest record (git notes, run-notes.ts). Fields are paths as in `runs list --filter` (`status`, `duration`,
// `user`, `git.dirty`, `environment.node`, `metrics.acc`, …); `duration` is shown as "12.3 s", times without
// milliseconds, anything else as text (objects as JSON).
import { UsageError } from "../../errors.js";
import { durationText } from "../../util/duration.js";
import { resolvePath } from "./filter-eval.js";
import { parseFilter } from "./filter-parse.js";
import type { RunRecord } from "./record.js";
import { readRunNotes } from "./run-notes.js";

export interface RecordColumns {
  /** The fields as asked, one column each. */
  fields: string[];
  /** The cells of commit `rev`: undefined where it has no record or the record lacks the field. */
  cells(rev: string): Array<string | undefined>;
}

/** "duration,status" → the fields and their paths; a field that is not a path is a usage error. */
export function parseRecordFields(spec: string): Array<{ field: string; path: string[] }> {
  const fields = spec
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
  if (fields.length === 0) throw new UsageError("--record needs at least one field, e.g. --record duration,status");
  return fields.map((field) => {
    const node = parseFilter(field);
    if (node.kind !== "path")
      throw new UsageError(`--record '${field}' is not a record field`, {
        hint: "give fields as dotted names: duration, status, user, host, git.dirty, environment.node, metrics.acc",
        details: { field },
      });
    return { field, path: node.segments };
  });
}

function cellOf(record: RunRecord, path: string[]): string | undefined {
  if (path.length === 1 && path[0] === "duration") return durationText(record.durationMs);
  const v = resolvePath(record, path);
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? v.replace(/\.\d+Z$/, "Z") : v;
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export async function recordColumns(gitRoot: string, spec: string): Promise<RecordColumns> {
  const fields = parseRecordFields(spec);
  const newest = new Map<string, RunRecord>();
  for (const { commit, record } of await readRunNotes(gitRoot)) {
    const known = newest.get(commit);
    if (!known || known.started < record.started) newest.set(commit, record);
  }
  return {
    fields: fields.map((f) => f.field),
    cells: (rev) => {
      const r = newest.get(rev);
      return fields.map((f) => (r ? cellOf(r, f.path) : undefined));
    },
  };
}
