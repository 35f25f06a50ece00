// Evaluates a parsed `--filter` (filter-parse.ts) against a run record. Paths name the record's fields
// (`status`, `git.dirty`, `environment.node`, `experiment.name`), plus `duration` in seconds; under `params` and
// `metrics` the file level may be left out (`params.train.lr` finds `train.lr` in any params file, params.yaml
// first; `params.params.yaml.train.lr` names the file). Keys that contain dots match too (`a.b` for {"a.b": …}).
// A path that names nothing is null; ordering a number against a string (or null) is false.
import type { FilterNode } from "./filter-parse.js";
import type { RunRecord } from "./record.js";

type Value = unknown;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `segments` inside `v`, trying keys that themselves contain dots; undefined when nothing matches. */
function lookup(v: Value, segments: string[], from = 0): Value {
  if (from === segments.length) return v;
  if (Array.isArray(v)) {
    const i = Number(segments[from]);
    return Number.isInteger(i) ? lookup(v[i], segments, from + 1) : undefined;
  }
  if (!isObj(v)) return undefined;
  for (let to = from + 1; to <= segments.length; to++) {
    const key = segments.slice(from, to).join(".");
    if (Object.hasOwn(v, key)) {
      const found = lookup(v[key], segments, to);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Params/metrics files, params.yaml (or the first) first. */
function filesFirst(data: Record<string, unknown>): unknown[] {
  const keys = Object.keys(data).sort((a, b) => Number(b === "params.yaml") - Number(a === "params.yaml"));
  return keys.map((k) => data[k]);
}

export function resolvePath(record: RunRecord, segments: string[]): Value {
  const [head, ...rest] = segments;
  if (head === "duration" && rest.length === 0) return record.durationMs / 1000;
  const direct = lookup(record, segments);
  if (direct !== undefined || (head !== "params" && head !== "metrics") || rest.length === 0) return direct ?? null;
  const data = (record[head] ?? {}) as Record<string, unknown>;
  for (const file of filesFirst(data)) {
    const v = lookup(file, rest);
    if (v !== undefined) return v;
  }
  return null;
}

const truthy = (v: Value): boolean => !(v === null || v === undefined || v === false || v === 0 || v === "");

function compare(op: string, a: Value, b: Value): boolean {
  if (op === "==") return equal(a, b);
  if (op === "!=") return !equal(a, b);
  const both = (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!both) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  // a number written as a string in a params file ("0.1") equals the number 0.1
  if (typeof a === "number" && typeof b === "string") return b.trim() !== "" && Number(b) === a;
  if (typeof a === "string" && typeof b === "number") return a.trim() !== "" && Number(a) === b;
  return false;
}

export function evaluate(node: FilterNode, record: RunRecord): Value {
  switch (node.kind) {
    case "or":
      return truthy(evaluate(node.left, record)) || truthy(evaluate(node.right, record));
    case "and":
      return truthy(evaluate(node.left, record)) && truthy(evaluate(node.right, record));
    case "not":
      return !truthy(evaluate(node.operand, record));
    case "literal":
      return node.value;
    case "path":
      return resolvePath(record, node.segments);
    case "cmp": {
      const left = evaluate(node.left, record);
      if (node.regex) {
        const hit = (typeof left === "string" || typeof left === "number") && node.regex.test(String(left));
        return node.op === "~" ? hit : !hit;
      }
      return compare(node.op, left, evaluate(node.right, record));
    }
  }
}

export const matches = (node: FilterNode, record: RunRecord): boolean => truthy(evaluate(node, record));
