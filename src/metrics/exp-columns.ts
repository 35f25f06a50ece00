// DVC's dvc/commands/experiments/show.py `show_experiments` column work on the table of exp-table.ts: --keep
// protects columns, State/Executor go when empty, the Experiment column becomes the tree (`├── 1a2b3c4 [name]`)
// except in CSV, --only-changed drops columns holding one value, --drop drops columns by regex (Python's re.match:
// anchored at the start only). Protected columns are never dropped. Pure.
import { UsageError } from "../errors.js";
import type { ExpTable } from "./exp-table.js";

export interface ShapeOptions {
  csv: boolean;
  keep?: string;
  drop?: string;
  onlyChanged?: boolean;
  /** The fill value the table was built with ("-", or "" for CSV). */
  fill: string;
}

export interface Shaped {
  headers: string[];
  rows: string[][];
}

const TREE: Record<string, string> = { branch_commit: "├──", branch_base: "└──", baseline: "" };

/** DVC's prepare_exp_id: `rev`, or `├── rev [name]` for an experiment. */
export function expId(name: string, rev: string, typ: string, parent: string): string {
  const text = (typ === "baseline" || name === "" ? name || rev : `${rev} [${name}]`) + (parent ? ` (${parent})` : "");
  const tree = TREE[typ] ?? "";
  return tree ? `${tree} ${text}` : text;
}

/** Python's re.match(pattern, s) with a JavaScript regular expression: a match that starts at 0. */
export function matcher(pattern: string, flag: string): (s: string) => boolean {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "y");
  } catch (err) {
    throw new UsageError(`${flag} '${pattern}' is not a valid regular expression`, {
      details: { pattern },
      cause: err,
    });
  }
  return (s) => {
    re.lastIndex = 0;
    return re.test(s);
  };
}

export function shapeTable(t: ExpTable, o: ShapeOptions): Shaped {
  let headers = [...t.headers];
  let rows = t.rows;
  const keep = o.keep ? matcher(o.keep, "--keep") : undefined;
  const protectedCols = new Set(keep ? headers.filter(keep) : []);
  const col = (h: string): string[] => rows.map((r) => r[headers.indexOf(h)]!);
  const drop = (cols: Iterable<string>): void => {
    const gone = new Set([...cols].filter((c) => !protectedCols.has(c)));
    if (gone.size === 0) return;
    const kept = headers.map((h, i) => [h, i] as const).filter(([h]) => !gone.has(h));
    headers = kept.map(([h]) => h);
    rows = rows.map((r) => kept.map(([, i]) => r[i]!));
  };

  drop(["State", "Executor"].filter((c) => col(c).every((v) => v === o.fill)));
  if (!o.csv) {
    const [name, rev, typ, parent] = ["Experiment", "rev", "typ", "parent"].map((h) => headers.indexOf(h));
    rows = rows.map((r) => r.map((c, i) => (i === name ? expId(c, r[rev!]!, r[typ!]!, r[parent!]!) : c)));
    drop(["rev", "typ", "parent"]);
  }
  if (o.onlyChanged) drop(headers.filter((h) => new Set(col(h)).size === 1));
  if (o.drop) drop(headers.filter(matcher(o.drop, "--drop")));
  return { headers, rows };
}
