// Applying parsed -S overrides to a params file's data, as Hydra applies overrides to DVC's (struct) config:
// `key=v` needs the key to exist (a mapping merges into a mapping), `+key=v` needs it absent (missing parents are
// created), `++key=v` sets or adds, `~key[=v]` deletes an existing key (whose value must be v, when given).
// A key path that runs into a scalar is an error. The input is never modified.
import { PyFloat } from "../util/py-float.js";
import { pyEquals } from "../util/yaml.js";
import { ParamOverrideError } from "./errors.js";
import type { ParamOverride } from "./override-parse.js";

type Mapping = Record<string, unknown>;

export const isMapping = (v: unknown): v is Mapping =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat);

/** A deep copy of parsed params data (PyFloat values are immutable and shared). */
export function cloneData<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneData) as T;
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneData(x)])) as T;
  return v;
}

/** Hydra's merge of a mapping into a mapping: keys of `src` replace or merge into those of `dst`. */
function merge(dst: Mapping, src: Mapping): void {
  for (const [k, v] of Object.entries(src)) {
    const old = dst[k];
    if (isMapping(old) && isMapping(v)) merge(old, v);
    else dst[k] = cloneData(v);
  }
}

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : v instanceof PyFloat ? "a number" : `a ${typeof v}`;

type Slot = { container: Mapping; key: string } | { container: unknown[]; key: number };

/** The parent container of `o.key` (created on the way when `create`), and where the last part goes. */
function locate(data: Mapping, o: ParamOverride, create: boolean): Slot | null {
  let node: unknown = data;
  const path = o.key;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const last = i === path.length - 1;
    const where = path.slice(0, i).join(".");
    if (Array.isArray(node)) {
      const idx = /^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : -1;
      if (idx < 0 || idx >= node.length)
        throw new ParamOverrideError(o.arg, `'${where}' is a list and '${part}' is not an index in it`);
      if (last) return { container: node, key: idx };
      node = node[idx];
      continue;
    }
    if (!isMapping(node)) {
      throw new ParamOverrideError(
        o.arg,
        `'${where}' in ${o.file} is ${describe(node)}, not a mapping: '${o.key.join(".")}' cannot be inside it`,
        "override the whole value instead (-S key=value), or delete it first (~key)",
      );
    }
    if (last) return { container: node, key: part };
    if (!(part in node)) {
      if (!create) return null;
      node[part] = {};
    }
    node = node[part];
  }
  return null; // unreachable: the key has at least one part
}

function has(slot: Slot): boolean {
  return Array.isArray(slot.container)
    ? true
    : Object.prototype.hasOwnProperty.call(slot.container, slot.key as string);
}

function get(slot: Slot): unknown {
  return (slot.container as Record<string | number, unknown>)[slot.key];
}

function put(slot: Slot, value: unknown): void {
  const old = has(slot) ? get(slot) : undefined;
  if (isMapping(old) && isMapping(value)) merge(old, value);
  else (slot.container as Record<string | number, unknown>)[slot.key] = cloneData(value);
}

/** `data` with the overrides of one file applied in order (a new object; `data` is left as it was). */
export function applyOverrides(data: Mapping, overrides: readonly ParamOverride[]): Mapping {
  const out = cloneData(data);
  for (const o of overrides) {
    const key = o.key.join(".");
    const slot = locate(out, o, o.kind === "add" || o.kind === "force-add");
    const exists = slot !== null && has(slot);
    switch (o.kind) {
      case "set":
        if (!exists)
          throw new ParamOverrideError(
            o.arg,
            `there is no '${key}' in ${o.file}`,
            `to add it, write "${o.arg.slice(0, o.arg.length - o.text.length)}+${o.text}"`,
          );
        put(slot, o.value);
        break;
      case "add": {
        const old = exists ? get(slot) : undefined;
        if (exists && old !== null && !isMapping(o.value) && !Array.isArray(o.value))
          throw new ParamOverrideError(
            o.arg,
            `'${key}' already exists in ${o.file}`,
            `to change it, drop the '+'; "++${key}=…" adds or changes`,
          );
        put(slot!, o.value);
        break;
      }
      case "force-add":
        put(slot!, o.value);
        break;
      case "delete": {
        if (!exists) throw new ParamOverrideError(o.arg, `there is no '${key}' in ${o.file} to delete`);
        const old = get(slot);
        if (o.value !== undefined && !pyEquals(old, o.value))
          throw new ParamOverrideError(o.arg, `'${key}' is not ${JSON.stringify(String(o.value))} in ${o.file}`);
        if (Array.isArray(slot.container)) slot.container.splice(slot.key as number, 1);
        else delete slot.container[slot.key];
        break;
      }
    }
  }
  return out;
}
