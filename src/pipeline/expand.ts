// foreach/do and matrix expansion (DVC's ForeachDefinition/MatrixDefinition): which stages a group
// generates, their names (`group@key`) and the `item`/`key` values each one sees.
import { InterpolationError, resolveData, type Vars } from "./interpolate.js";
import { dvcToStr, isPlainObject } from "./py-str.js";
import type { RawStage } from "./schema.js";

export interface Generated {
  name: string;
  group?: string;
  template: RawStage;
  /** Values set on top of the context for this stage (`item`, `key`); reserved while it resolves. */
  temp: Vars;
}

/** Expands one validated stage definition; `vars` is the dvc.yaml-level context. */
export function expandDefinition(name: string, def: RawStage, vars: Vars): Generated[] {
  if ("foreach" in def) return expandForeach(name, def.foreach, def.do as RawStage, vars);
  if ("matrix" in def) {
    const { matrix, ...template } = def;
    return expandMatrix(name, matrix, template, vars);
  }
  return [{ name, template: def, temp: {} }];
}

function expandForeach(group: string, over: unknown, template: RawStage, vars: Vars): Generated[] {
  const iterable = resolveData(over, vars);
  const entries = new Map<string, Vars>();
  if (isPlainObject(iterable)) {
    for (const [k, v] of Object.entries(iterable)) entries.set(dvcToStr(k), { item: v, key: dvcToStr(k) });
  } else if (Array.isArray(iterable)) {
    const composite = iterable.some((v) => Array.isArray(v) || isPlainObject(v));
    iterable.forEach((v: unknown, i) => entries.set(composite ? String(i) : dvcToStr(v), { item: v }));
  } else {
    throw new InterpolationError(`expected list/dictionary, got ${typeName(iterable)}`);
  }
  return [...entries].map(([key, temp]) => ({ name: `${group}@${key}`, group, template, temp }));
}

function expandMatrix(group: string, matrix: unknown, template: RawStage, vars: Vars): Generated[] {
  const resolved = resolveData(matrix, vars);
  if (!isPlainObject(resolved)) throw new InterpolationError(`expected a mapping, got ${typeName(resolved)}`);
  const axes = Object.entries(resolved).map(([k, v]) => {
    if (!Array.isArray(v)) throw new InterpolationError(`matrix entry '${k}' must be a list, got ${typeName(v)}`);
    return [k, v as unknown[]] as const;
  });
  let combos: Array<{ item: Vars; fragments: string[] }> = [{ item: {}, fragments: [] }];
  for (const [k, values] of axes) {
    combos = combos.flatMap((c) =>
      values.map((v, i) => ({
        item: { ...c.item, [k]: v },
        fragments: [...c.fragments, Array.isArray(v) || isPlainObject(v) ? `${k}${i}` : dvcToStr(v)],
      })),
    );
  }
  const entries = new Map<string, Vars>();
  for (const c of combos) {
    const key = c.fragments.join("-");
    entries.set(key, { item: c.item, key });
  }
  return [...entries].map(([key, temp]) => ({ name: `${group}@${key}`, group, template, temp }));
}

function typeName(v: unknown): string {
  if (v === null) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (Array.isArray(v)) return "list";
  return typeof v;
}
