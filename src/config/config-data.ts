// One config file as DVC holds it in memory: plain sections plus named `remote`/`machine`/`db` maps.
// The shape keeps DVC's write order: sections already in the file keep their place, new plain sections
// follow in schema order (DVC's `conf.setdefault(key, {})` for every schema key), named ones come last.
import { posix } from "node:path";
import type { IniDocument, IniValue } from "./ini.js";
import { NAMED_SECTIONS, PATH_KEYS, PLAIN_SECTIONS, type NamedSection } from "./schema.js";
import { SCHEME_URL } from "./remote-url.js";

export type Options = Map<string, IniValue>;

export interface ConfigData {
  /** Plain sections by lower-case name (unknown names are kept here so validation can report them). */
  sections: Map<string, Options>;
  remote: Map<string, Options>;
  machine: Map<string, Options>;
  db: Map<string, Options>;
}

const NAMED = /^\s*(remote|machine|db)\s*"(.*)"\s*$/s;

export function emptyConfigData(): ConfigData {
  const data: ConfigData = { sections: new Map(), remote: new Map(), machine: new Map(), db: new Map() };
  for (const name of PLAIN_SECTIONS) data.sections.set(name, new Map());
  return data;
}

export function configDataFromIni(doc: IniDocument): ConfigData {
  const data: ConfigData = { sections: new Map(), remote: new Map(), machine: new Map(), db: new Map() };
  for (const section of doc.sections) {
    const options: Options = new Map(section.entries);
    const m = NAMED.exec(section.name);
    if (m) data[m[1] as NamedSection].set(m[2] ?? "", options);
    else data.sections.set(section.name, options);
  }
  for (const name of PLAIN_SECTIONS) if (!data.sections.has(name)) data.sections.set(name, new Map());
  return data;
}

export function configDataToIni(data: ConfigData): IniDocument {
  const sections: IniDocument["sections"] = [];
  for (const [name, options] of data.sections) sections.push({ name, entries: [...options] });
  for (const kind of NAMED_SECTIONS) {
    for (const [name, options] of data[kind]) sections.push({ name: `${kind} "${name}"`, entries: [...options] });
  }
  return { sections };
}

export function cloneConfigData(data: ConfigData): ConfigData {
  const copy = (m: Map<string, Options>) => new Map([...m].map(([k, v]) => [k, new Map(v)] as const));
  return { sections: copy(data.sections), remote: copy(data.remote), machine: copy(data.machine), db: copy(data.db) };
}

/** Same content once empty sections (which are never written) are ignored. */
export function sameConfigData(a: ConfigData, b: ConfigData): boolean {
  const flat = (d: ConfigData) =>
    JSON.stringify(
      configDataToIni(d)
        .sections.filter((s) => s.entries.length > 0)
        .map((s) => [s.name, s.entries]),
    );
  return flat(a) === flat(b);
}

/** The options of a plain or named section, created (in DVC's order) when missing. */
export function sectionOf(data: ConfigData, section: string, name?: string): Options {
  const map = name === undefined ? data.sections : data[section as NamedSection];
  const key = name ?? section;
  let options = map.get(key);
  if (!options) {
    options = new Map();
    map.set(key, options);
  }
  return options;
}

export function isPathKey(section: string, key: string): boolean {
  return PATH_KEYS[section]?.has(key) ?? false;
}

/** True for values DVC keeps as written: URLs with a scheme, absolute paths and ~ paths. */
function keptAsGiven(value: string): boolean {
  return (
    value === "" ||
    SCHEME_URL.test(value) ||
    posix.isAbsolute(value) ||
    /^[A-Za-z]:[\\/]/.test(value) ||
    value.startsWith("~")
  );
}

/** A relative path read from a file in `confDir`, as an absolute path (DVC's `_load_paths`). */
export function resolveConfigPath(value: string, confDir: string): string {
  if (keptAsGiven(value)) return value;
  return posix.resolve(confDir, value.replace(/\\/g, "/"));
}

/**
 * A path the user typed relative to `cwd`, as DVC stores it in a file in `confDir`: relative to that
 * directory (`../relstore` typed at the repo root is stored `../../relstore` in .dvc/config).
 */
export function toStoredPath(value: string, cwd: string, confDir: string): string {
  if (keptAsGiven(value)) return value.replace(/\\/g, "/");
  return posix.relative(confDir, posix.resolve(cwd, value.replace(/\\/g, "/"))) || ".";
}

/** DVC re-relativises every relative path of a file it rewrites (`./a/../b` comes back as `b`). */
export function normalizeStoredPaths(data: ConfigData, confDir: string): void {
  const fix = (section: string, options: Options) => {
    for (const [key, value] of options) {
      if (typeof value === "string" && isPathKey(section, key) && !keptAsGiven(value)) {
        options.set(key, toStoredPath(value, confDir, confDir));
      }
    }
  };
  for (const [name, options] of data.sections) fix(name, options);
  for (const kind of NAMED_SECTIONS) for (const options of data[kind].values()) fix(kind, options);
}
