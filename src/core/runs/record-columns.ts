// The run-record columns of `dvx exp show --record duration,status,…`: for each experiment commit, fields of its
// newest record (git notes, run-notes.ts). Fields are paths as in `runs list --filter` (`status`, `duration` in
// seconds, `user`, `git.dirty`, `environment.node`, `metrics.acc`, …). Values stay JSON values; renderers format.
import { UsageError } from "../../errors.js";
import { resolvePath } from "./filter-eval.js";
import { FilterSyntaxError, parseFilter, type FilterNode } from "./filter-parse.js";
import type { RunRecord } from "./record.js";
import { readRunNotes } from "./run-notes.js";

export interface RecordValues {
  /** The fields as asked, one column each. */
  fields: string[];
  /** Commit → the values of its newest record, one per field (null where the record lacks it). */
  values: Record<string, unknown[]>;
}

/** "duration,status" → the fields and their paths; a field that is not a path is a usage error. */
export function parseRecordFields(spec: string): Array<{ field: string; path: string[] }> {
  const fields = spec
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
  if (fields.length === 0) throw new UsageError("--record needs at least one field, e.g. --record duration,status");
  return fields.map((field) => {
    const bad = (): UsageError =>
      new UsageError(`--record '${field}' is not a record field`, {
        hint: "give fields as dotted names: duration, status, user, host, git.dirty, environment.node, metrics.acc",
        details: { field },
      });
    let node: FilterNode;
    try {
      node = parseFilter(field);
    } catch (e) {
      if (e instanceof FilterSyntaxError) throw bad();
      throw e;
    }
    if (node.kind !== "path") throw bad();
    return { field, path: node.segments };
  });
}

/** The values of `spec`'s fields for every commit that has a record (its newest one). */
export async function recordValues(gitRoot: string, spec: string): Promise<RecordValues> {
  const fields = parseRecordFields(spec);
  const newest = new Map<string, RunRecord>();
  for (const { commit, record } of await readRunNotes(gitRoot)) {
    const known = newest.get(commit);
    if (!known || known.started < record.started) newest.set(commit, record);
  }
  const values: Record<string, unknown[]> = {};
  for (const [commit, r] of newest) values[commit] = fields.map((f) => resolvePath(r, f.path));
  return { fields: fields.map((f) => f.field), values };
}
