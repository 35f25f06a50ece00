// Merging config layers key by key (DVC's `merge`), remembering which file set each value so errors can
// name it and relative paths can be resolved against that file's directory.
import { dirname } from "node:path";
import type { ConfigData, Options } from "./config-data.js";
import type { ConfigLayer } from "./files.js";
import type { IniValue } from "./ini.js";
import { NAMED_SECTIONS, type NamedSection } from "./schema.js";

export interface Layer {
  layer: ConfigLayer;
  file: string;
  data: ConfigData;
}

export interface Origin {
  value: IniValue;
  file: string;
  layer: ConfigLayer;
}

export interface MergedSection {
  /** Files that have this section (even empty), lowest priority first. */
  files: string[];
  /** The layers of those files. */
  layers: ConfigLayer[];
  options: Map<string, Origin>;
}

export interface MergedConfig {
  sections: Map<string, MergedSection>;
  remote: Map<string, MergedSection>;
  machine: Map<string, MergedSection>;
  db: Map<string, MergedSection>;
}

function mergeInto(
  target: Map<string, MergedSection>,
  name: string,
  options: Options,
  layer: Layer,
  keepEmpty: boolean,
): void {
  if (options.size === 0 && !keepEmpty) return;
  let merged = target.get(name);
  if (!merged) {
    merged = { files: [], layers: [], options: new Map() };
    target.set(name, merged);
  }
  merged.files.push(layer.file);
  merged.layers.push(layer.layer);
  for (const [key, value] of options) merged.options.set(key, { value, file: layer.file, layer: layer.layer });
}

/**
 * Merges layers given lowest priority first. Empty plain sections are skipped unless `keepEmptyPlain`
 * lists them (every file "has" the schema sections once loaded; only real unknown ones matter).
 */
export function mergeLayers(
  layers: readonly Layer[],
  isKnownPlain: (name: string) => boolean = () => true,
): MergedConfig {
  const merged: MergedConfig = { sections: new Map(), remote: new Map(), machine: new Map(), db: new Map() };
  for (const layer of layers) {
    for (const [name, options] of layer.data.sections)
      mergeInto(merged.sections, name, options, layer, !isKnownPlain(name));
    for (const kind of NAMED_SECTIONS) {
      for (const [name, options] of layer.data[kind])
        mergeInto(merged[kind as NamedSection], name, options, layer, true);
    }
  }
  return merged;
}

/** The directory a value's relative paths are resolved against. */
export function originDir(origin: Origin): string {
  return dirname(origin.file);
}

/** The last (highest priority) file of a merged section. */
export function lastFile(section: MergedSection): string {
  return section.files[section.files.length - 1] ?? "<config>";
}
