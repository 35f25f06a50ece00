// The variables `${}` expressions resolve against (DVC's parsing Context): params.yaml beside dvc.yaml,
// then each `vars` entry (file refs `path[:k1,k2]` or inline mappings), merged without overwriting.
import type { TreeReader } from "../git/tree-reader.js";
import { InterpolationError, type Vars } from "./interpolate.js";
import { readParamsFile } from "./params-file.js";
import { joinRepo } from "./paths.js";
import { isPlainObject } from "./py-str.js";

export class VarsContext {
  /** file (repo-relative) → keys partially loaded, or null when loaded whole. */
  private readonly imports: Map<string, string[] | null>;
  /** dotted path → where its value came from, for conflict messages. */
  private readonly sources: Map<string, string>;

  private constructor(
    readonly data: Vars,
    imports: Map<string, string[] | null>,
    sources: Map<string, string>,
  ) {
    this.imports = imports;
    this.sources = sources;
  }

  static empty(): VarsContext {
    return new VarsContext({}, new Map(), new Map());
  }

  clone(): VarsContext {
    const imports = new Map([...this.imports].map(([k, v]) => [k, v === null ? null : [...v]] as const));
    return new VarsContext(cloneData(this.data) as Vars, imports, new Map(this.sources));
  }

  /**
   * Loads `vars` entries; file paths are relative to `wdir` (repo-relative). With `defaultFile`, that
   * file is loaded first when it exists. `source` is the dvc.yaml path for unsafe-path errors.
   */
  async loadVars(
    reader: TreeReader,
    vars: unknown[],
    wdir: string,
    opts: { source: string; defaultFile?: string; stageName?: string; reserved?: ReadonlySet<string> },
  ): Promise<void> {
    if (opts.defaultFile !== undefined) {
      const p = joinRepo(wdir, opts.defaultFile, opts.source);
      if ((await reader.readFile(p)) !== null)
        await this.mergeFrom(reader, opts.defaultFile, wdir, opts.source, opts.reserved);
    }
    for (const [index, item] of vars.entries()) {
      if (typeof item === "string") {
        await this.mergeFrom(reader, item, wdir, opts.source, opts.reserved);
      } else if (isPlainObject(item)) {
        const src = `${opts.stageName ? `${opts.stageName}.` : ""}vars[${index}]`;
        this.mergeUpdate(item, src, opts.reserved);
      }
    }
  }

  private async mergeFrom(
    reader: TreeReader,
    item: string,
    wdir: string,
    source: string,
    reserved?: ReadonlySet<string>,
  ): Promise<void> {
    const colon = item.indexOf(":");
    const rel = colon < 0 ? item : item.slice(0, colon);
    const keys =
      colon < 0
        ? []
        : item
            .slice(colon + 1)
            .split(",")
            .filter((k) => k !== "");
    const path = joinRepo(wdir, rel, source);
    const prior = this.imports.get(path);
    if (prior !== undefined) {
      if (keys.length === 0 && prior === null) return; // the same whole file twice is fine
      if (keys.length === 0 || prior === null || keys.some((k) => prior.includes(k))) {
        throw new InterpolationError(
          prior === null
            ? `cannot partially load '${item}' as it's already loaded`
            : `cannot load '${item}' as it's partially loaded already`,
        );
      }
    }
    // Floats stay PyFloat so that `${lr}` with `lr: 1.0` renders `1.0` as in DVC.
    const whole = await readParamsFile(reader, path, { keepFloats: true });
    let data: Vars = whole;
    if (keys.length > 0) {
      data = {};
      for (const k of keys) {
        if (!(k in whole)) throw new InterpolationError(`could not find '${k}' in '${path}'`);
        data[k] = whole[k];
      }
    }
    this.mergeUpdate(data, path, reserved);
    if (prior === undefined || prior === null) this.imports.set(path, keys.length > 0 ? [...keys] : null);
    else prior.push(...keys);
  }

  /** Merges `update` in; mappings merge recursively, any other existing key is a conflict. */
  mergeUpdate(update: Vars, source: string, reserved?: ReadonlySet<string>): void {
    const clash = Object.keys(update).filter((k) => reserved?.has(k));
    if (clash.length > 0)
      throw new InterpolationError(`attempted to modify reserved key(s) ${clash.map((k) => `'${k}'`).join(", ")}`);
    this.merge(this.data, update, source, "");
  }

  private merge(into: Vars, update: Vars, source: string, prefix: string): void {
    for (const [key, val] of Object.entries(update)) {
      const path = prefix === "" ? key : `${prefix}.${key}`;
      const existing = into[key];
      if (isPlainObject(existing) && isPlainObject(val)) {
        this.merge(existing, val, source, path);
      } else if (Object.prototype.hasOwnProperty.call(into, key)) {
        const before = this.sourceOf(path);
        throw new InterpolationError(`cannot redefine '${path}' from '${source}' as it already exists in '${before}'`);
      } else {
        into[key] = cloneData(val);
        this.sources.set(path, source);
      }
    }
  }

  private sourceOf(path: string): string {
    for (let p = path; p !== ""; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
      const s = this.sources.get(p);
      if (s !== undefined) return s;
    }
    return "an earlier definition";
  }

  /**
   * A context with `extra` set on top (foreach/matrix `item` and `key`), overriding existing values.
   * Shallow: resolution never mutates the data, and loading stage vars clones first.
   */
  withTemporary(extra: Vars): VarsContext {
    const sources = new Map(this.sources);
    for (const k of Object.keys(extra)) sources.set(k, "foreach/matrix");
    return new VarsContext({ ...this.data, ...extra }, new Map(this.imports), sources);
  }
}

/** Deep copy of parsed data: arrays and plain mappings are copied, leaves (incl. PyFloat) are shared. */
function cloneData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneData);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneData(x)]));
  return v;
}
