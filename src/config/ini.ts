// Hand-written on purpose: no INI library reads and writes configobj's dialect as DVC does.
// The configobj INI dialect DVC reads and writes (.dvc/config, config.local, global/system config).
// Parsing mirrors configobj 5 with `list_values=True` (its regexes are ported as they are, quirks
// included); section names and keys are lower-cased on load, as DVC does. Comments are not kept:
// DVC drops them on every rewrite too.
import { ConfigError } from "../errors.js";
import { ConfigSyntaxError } from "./errors.js";

/** An unquoted value with a comma is a list (`type = reflink, copy`); anything else is a string. */
export type IniValue = string | readonly string[];

export interface IniSection {
  name: string;
  entries: Array<[key: string, value: IniValue]>;
}

export interface IniDocument {
  sections: IniSection[];
}

const KEYWORD = /^(\s*)((?:".*?")|(?:'.*?')|(?:[^'"=].*?))\s*=\s*(.*)$/;
const SECTION = /^(\s*)((?:\[\s*)+)((?:"\s*\S.*?\s*")|(?:'\s*\S.*?\s*')|(?:[^'"\s].*?))((?:\s*\])+)\s*(#.*)?$/;
const VALUE =
  /^(?:(?:((?:(?:(?:".*?")|(?:'.*?')|(?:[^'",#][^,#]*?))\s*,\s*)*)((?:".*?")|(?:'.*?')|(?:[^'",#\s][^,]*?)|(?:(?<!,)))?)|(,))\s*(#.*)?$/;
const LIST_ITEM = /((?:".*?")|(?:'.*?')|(?:[^'",#]?.*?))\s*,\s*/g;
const TRIPLE = {
  "'''": { one: /^'''(.*?)'''\s*(#.*)?$/, last: /^(.*?)'''\s*(#.*)?$/ },
  '"""': { one: /^"""(.*?)"""\s*(#.*)?$/, last: /^(.*?)"""\s*(#.*)?$/ },
} as const;

/** A value as one string: lists are joined the way configobj writes them ("a, b"). */
export function iniValueText(value: IniValue): string {
  return typeof value === "string" ? value : value.join(", ");
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length > 0 && first === value[value.length - 1] && (first === '"' || first === "'")) {
    return value.slice(1, -1);
  }
  return value;
}

/** configobj's `_handle_value`; undefined means "badly quoted or an invalid list". */
function parseValue(raw: string): IniValue | undefined {
  const m = VALUE.exec(raw);
  if (!m) return undefined;
  const listPart = m[1];
  let single = m[2];
  if (m[3] !== undefined) return [];
  // Python's `(...)?` can match the empty alternative and yield "", JS yields undefined: same meaning.
  if (listPart === "" && single === undefined) single = "";
  if (single !== undefined) single = listPart && !single ? undefined : unquote(single || '""');
  if (!listPart) return single ?? "";
  const items = [...listPart.matchAll(LIST_ITEM)].map((x) => unquote(x[1] ?? ""));
  if (single !== undefined) items.push(single);
  return items;
}

/** configobj's `_multiline`: returns the value and the index of the line that closed it. */
function parseTriple(value: string, lines: string[], index: number): { value: string; end: number } | undefined {
  const quot = value.slice(0, 3) as keyof typeof TRIPLE;
  const single = TRIPLE[quot].one.exec(value);
  if (single) return { value: single[1] ?? "", end: index };
  let acc = value.slice(3);
  if (acc.includes(quot)) return undefined;
  for (let i = index + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    acc += "\n";
    if (!line.includes(quot)) {
      acc += line;
      continue;
    }
    const last = TRIPLE[quot].last.exec(line);
    return last ? { value: acc + (last[1] ?? ""), end: i } : undefined;
  }
  return undefined;
}

/**
 * Parses configobj INI text. Throws ConfigSyntaxError (file and line, never the line's text, which may
 * hold a secret) for lines configobj rejects, nested `[[sections]]` and keys outside a section.
 */
export function parseIni(text: string, file = "<config>"): IniDocument {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const sections: IniSection[] = [];
  const byName = new Map<string, IniSection>();
  const rawSections = new Set<string>();
  let rawKeys = new Set<string>();
  let current: IniSection | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const stripped = line.trim();
    if (stripped === "" || stripped.startsWith("#")) continue;
    const sect = SECTION.exec(line);
    if (sect) {
      const open = (sect[2] ?? "").split("[").length - 1;
      if (open !== (sect[4] ?? "").split("]").length - 1)
        throw new ConfigSyntaxError(file, i + 1, "unbalanced section brackets");
      if (open !== 1) throw new ConfigSyntaxError(file, i + 1, "nested sections are not allowed");
      const raw = unquote(sect[3] ?? "");
      if (rawSections.has(raw)) throw new ConfigSyntaxError(file, i + 1, "duplicate section name");
      rawSections.add(raw);
      rawKeys = new Set();
      const name = raw.toLowerCase();
      const previous = byName.get(name);
      // Same name in another case: DVC's lower-casing keeps the first position and the last content.
      if (previous) previous.entries = [];
      current = previous ?? { name, entries: [] };
      if (!previous) {
        sections.push(current);
        byName.set(name, current);
      }
      continue;
    }
    const kw = KEYWORD.exec(line);
    if (!kw) throw new ConfigSyntaxError(file, i + 1, "expected a [section] header or a 'key = value' line");
    if (!current) throw new ConfigSyntaxError(file, i + 1, "a key must be inside a [section]");
    const rawValue = kw[3] ?? "";
    let value: IniValue | undefined;
    if (rawValue.startsWith("'''") || rawValue.startsWith('"""')) {
      const triple = parseTriple(rawValue, lines, i);
      if (!triple) throw new ConfigSyntaxError(file, i + 1, "unterminated or malformed triple-quoted value");
      value = triple.value;
      i = triple.end;
    } else {
      value = parseValue(rawValue);
      if (value === undefined) throw new ConfigSyntaxError(file, i + 1, "badly quoted value or invalid list");
    }
    const rawKey = unquote(kw[2] ?? "");
    if (rawKeys.has(rawKey)) throw new ConfigSyntaxError(file, i + 1, "duplicate key name");
    rawKeys.add(rawKey);
    const key = rawKey.toLowerCase();
    const existing = current.entries.findIndex(([k]) => k === key);
    if (existing >= 0) current.entries[existing] = [key, value];
    else current.entries.push([key, value]);
  }
  return { sections };
}

const WSPACE_PLUS = " \r\n\v\t'\"";

class UnquotableError extends Error {}

function singleQuote(value: string): string {
  if (value.includes("'") && value.includes('"')) throw new UnquotableError();
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/** configobj's `_quote` (list_values=True): quote only when needed, lists as "a, b" / "a,". */
export function quoteIni(value: IniValue, multiline = true): string {
  if (typeof value !== "string") {
    if (!multiline) throw new UnquotableError();
    if (value.length === 0) return ",";
    if (value.length === 1) return `${quoteIni(value[0] ?? "", false)},`;
    return value.map((v) => quoteIni(v, false)).join(", ");
  }
  if (value === "") return '""';
  const needTriple = multiline && ((value.includes("'") && value.includes('"')) || value.includes("\n"));
  let out: string;
  if (needTriple) {
    if (value.includes('"""') && value.includes("'''")) throw new UnquotableError();
    out = value.includes('"""') ? `"""${value}"""` : `'''${value}'''`;
  } else if (value.includes("\n")) {
    throw new UnquotableError();
  } else if (
    !WSPACE_PLUS.includes(value[0] ?? "") &&
    !WSPACE_PLUS.includes(value[value.length - 1] ?? "") &&
    !value.includes(",")
  ) {
    out = value.includes("#") ? singleQuote(value) : value;
  } else {
    out = singleQuote(value);
  }
  return out;
}

function namedKind(name: string): number {
  const m = /^\s*(remote|machine|db)\s*"/.exec(name);
  return m ? ["remote", "machine", "db"].indexOf(m[1] ?? "") + 1 : 0;
}

/**
 * Serialises like DVC (configobj from a fresh dict): plain sections first, then `remote "…"`,
 * `machine "…"`, `db "…"` (each group in document order); empty sections dropped; keys indented by
 * 4 spaces; values quoted only when needed; LF endings and a final newline. An empty document gives
 * an empty string (configobj itself would write a lone "\n").
 */
export function serializeIni(doc: IniDocument): string {
  const sections = doc.sections
    .filter((s) => s.entries.length > 0)
    .map((s, i) => ({ s, i, kind: namedKind(s.name) }))
    .sort((a, b) => a.kind - b.kind || a.i - b.i)
    .map((x) => x.s);
  const out: string[] = [];
  for (const section of sections) {
    try {
      out.push(`[${quoteIni(section.name, false)}]`);
    } catch (err) {
      if (!(err instanceof UnquotableError)) throw err;
      throw new ConfigError(`section name '${section.name}' cannot be written in the config file format`, {
        hint: "do not use both ' and \" in a remote name",
        details: { section: section.name },
      });
    }
    for (const [key, value] of section.entries) {
      try {
        out.push(`    ${quoteIni(key, false)} = ${quoteIni(value)}`);
      } catch (err) {
        if (!(err instanceof UnquotableError)) throw err;
        throw new ConfigError(
          `the value of '${key}' in section '${section.name}' cannot be written in the config file format`,
          {
            hint: `a value may not contain both ''' and """; a list item may not contain a newline or both ' and "`,
            details: { section: section.name, key },
          },
        );
      }
    }
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
