// The run-record columns of `exp show --record …` (values from core/runs/record-columns.ts) as a column group of
// the experiment table, and as `data.record` in its JSON. `duration` reads "12.3 s", times lose their
// milliseconds, objects print as JSON; a header that another column already uses becomes `record:<field>`.
import type { RecordValues } from "../../core/runs/record-columns.js";
import type { ColumnGroup } from "../../metrics/exp-table.js";
import { durationText } from "../../util/duration.js";

export function recordCell(field: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (field === "duration" && typeof v === "number") return durationText(v * 1000);
  if (typeof v === "string") return /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? v.replace(/\.\d+Z$/, "Z") : v;
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function recordGroup(rec: RecordValues, taken: ReadonlySet<string>): ColumnGroup {
  return {
    name: "record",
    headers: rec.fields.map((f) => (taken.has(f) ? `record:${f}` : f)),
    fill(data, put) {
      rec.values[data.rev]?.forEach((v, i) => {
        const cell = recordCell(rec.fields[i]!, v);
        if (cell !== undefined) put(i, cell);
      });
    },
  };
}

/** `{field: value}` of a revision's record, or undefined when it has none. */
export function recordJson(rec: RecordValues, rev: string): Record<string, unknown> | undefined {
  const values = rec.values[rev];
  return values && Object.fromEntries(rec.fields.map((f, i) => [f, values[i] ?? null]));
}
