// Sweeps in -S overrides (`train.lr=0.1,0.01`, choice(…), range(…)) expand, for the queue, into one set of plain
// overrides per combination, as DVC's Hydra sweeper does: the cartesian product, the first override varying
// slowest. Overrides without a sweep are kept as they are in every combination.
import { PyFloat } from "../util/py-float.js";
import type { ParamOverride } from "./override-parse.js";

const KIND_PREFIX = { set: "", add: "+", "force-add": "++", delete: "~" } as const;

/** A value as an override would spell it (for the `arg` of an expanded override, shown in queue status). */
function valueText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof PyFloat) return v.toString();
  if (v === null) return "null";
  if (typeof v === "object") return JSON.stringify(v, (_k, x: unknown) => (x instanceof PyFloat ? x.value : x));
  return String(v);
}

/** The single-valued override `o` stands for with `value`; its `arg` and `text` spell that value. */
export function withValue(o: ParamOverride, value: unknown): ParamOverride {
  const { sweep: _sweep, ...plain } = o;
  const text = `${KIND_PREFIX[o.kind]}${o.key.join(".")}=${valueText(value)}`;
  const arg = o.arg.startsWith(`${o.file}:`) ? `${o.file}:${text}` : text;
  return { ...plain, value, text, arg };
}

/** Every combination of the sweeps in `overrides` (one combination, the overrides unchanged, when none sweeps). */
export function expandSweeps(overrides: readonly ParamOverride[]): ParamOverride[][] {
  let combos: ParamOverride[][] = [[]];
  for (const o of overrides) {
    const values = o.sweep;
    if (values === undefined) {
      combos = combos.map((c) => [...c, o]);
      continue;
    }
    const next: ParamOverride[][] = [];
    for (const c of combos) {
      for (const value of values) next.push([...c, withValue(o, value)]);
    }
    combos = next;
  }
  return combos;
}
