// In-place edits of a TOML params file. A scanner finds every `key = value` (with its table and dotted key, and
// the members of inline tables) and every [table] section, keeping positions; a change rewrites one value, adds a
// line at the end of its table's section, or removes a line or a whole section. Arrays of tables are not edited
// in place (the caller rewrites the file).
import { pyFloatRepr, pyIntRepr, PyFloat } from "../util/py-float.js";
import { isMapping } from "./override-apply.js";
import type { Change } from "./params-diff.js";

interface KeyValue {
  path: string[];
  valueStart: number;
  valueEnd: number;
  /** The whole lines of the statement (only for statements of a section, not inline-table members). */
  lineStart?: number;
  lineEnd?: number;
}

interface Section {
  path: string[];
  /** Start of the header line (0 and no header for the root table). */
  start: number;
  /** End of the last key/value line in it (or of the header line). */
  bodyEnd: number;
  /** Where the next section's header line starts (or the end of the text). */
  end: number;
  arrayOfTables: boolean;
}

const BARE = /^[A-Za-z0-9_-]+$/;

class TomlScanner {
  i = 0;
  readonly values: KeyValue[] = [];
  readonly sections: Section[] = [];
  constructor(readonly s: string) {}

  scan(): this {
    let section: Section = { path: [], start: 0, bodyEnd: 0, end: this.s.length, arrayOfTables: false };
    this.sections.push(section);
    for (;;) {
      this.skipBlank(true);
      if (this.i >= this.s.length) break;
      const lineStart = this.s.lastIndexOf("\n", this.i - 1) + 1;
      if (this.s[this.i] === "[") {
        const aot = this.s[this.i + 1] === "[";
        this.i += aot ? 2 : 1;
        const path = this.key();
        this.expect(aot ? "]]" : "]");
        this.restOfLine();
        section.end = lineStart;
        section = { path, start: lineStart, bodyEnd: this.i, end: this.s.length, arrayOfTables: aot };
        this.sections.push(section);
        continue;
      }
      const key = this.key();
      this.expect("=");
      const kv = this.value([...section.path, ...key], section.arrayOfTables);
      this.restOfLine();
      if (kv) Object.assign(kv, { lineStart, lineEnd: this.i });
      section.bodyEnd = this.i;
    }
    return this;
  }

  private fail(what: string): never {
    throw new SyntaxError(`TOML: ${what} at offset ${this.i}`);
  }

  private expect(tok: string): void {
    this.skipBlank(false);
    if (!this.s.startsWith(tok, this.i)) this.fail(`expected '${tok}'`);
    this.i += tok.length;
  }

  /** Skips spaces (and newlines and comments when `lines`). */
  private skipBlank(lines: boolean): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === " " || c === "\t" || (lines && (c === "\n" || c === "\r"))) this.i++;
      else if (lines && c === "#") while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
      else return;
    }
  }

  /** After a statement: a comment, then the newline (consumed). */
  private restOfLine(): void {
    this.skipBlank(false);
    if (this.s[this.i] === "#") while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
    if (this.s[this.i] === "\r") this.i++;
    if (this.i < this.s.length && this.s[this.i] !== "\n") this.fail("expected the end of the line");
    if (this.i < this.s.length) this.i++;
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipBlank(false);
      const c = this.s[this.i];
      if (c === '"' || c === "'") {
        const start = this.i;
        this.i = this.stringEnd();
        const raw = this.s.slice(start, this.i);
        parts.push(c === "'" ? raw.slice(1, -1) : (JSON.parse(raw) as string));
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.s.slice(this.i));
        if (!m) this.fail("expected a key");
        parts.push(m[0]);
        this.i += m[0].length;
      }
      this.skipBlank(false);
      if (this.s[this.i] !== ".") return parts;
      this.i++;
    }
  }

  private stringEnd(): number {
    const q = this.s[this.i]!;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    let p = this.i + (triple ? 3 : 1);
    for (;;) {
      if (p >= this.s.length) this.fail("unterminated string");
      const c = this.s[p]!;
      if (c === "\\" && q === '"') p += 2;
      else if (triple && this.s.startsWith(q.repeat(3), p)) {
        p += 3;
        while (this.s[p] === q && p < this.s.length) p++; // up to two quotes may end the content
        return p;
      } else if (!triple && c === q) return p + 1;
      else if (!triple && c === "\n") this.fail("newline in a string");
      else p++;
    }
  }

  /** Scans one value, recording it (and inline-table members) under `path` unless `hidden`. */
  private value(path: string[], hidden: boolean): KeyValue | null {
    this.skipBlank(false);
    const start = this.i;
    const c = this.s[this.i];
    if (c === '"' || c === "'") this.i = this.stringEnd();
    else if (c === "[") {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (this.s[this.i] === "]") break;
        this.value([], true);
        this.skipBlank(true);
        if (this.s[this.i] === ",") this.i++;
        else if (this.s[this.i] !== "]") this.fail("expected ',' or ']'");
      }
      this.i++;
    } else if (c === "{") {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (this.s[this.i] === "}") break;
        const key = this.key();
        this.expect("=");
        this.value([...path, ...key], hidden);
        this.skipBlank(true);
        if (this.s[this.i] === ",") this.i++;
        else if (this.s[this.i] !== "}") this.fail("expected ',' or '}'");
      }
      this.i++;
    } else {
      const m = /^[^\s,\]}#]+/.exec(this.s.slice(this.i));
      if (!m) this.fail("expected a value");
      this.i += m[0].length;
      // a date and a time may be separated by one space
      const time = /^ [0-9]{2}:[0-9]{2}[^\s,\]}#]*/.exec(this.s.slice(this.i));
      if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(m[0]) && time) this.i += time[0].length;
    }
    if (hidden) return null;
    const kv: KeyValue = { path, valueStart: start, valueEnd: this.i };
    this.values.push(kv);
    return kv;
  }
}

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export const tomlKey = (k: string): string => (BARE.test(k) ? k : JSON.stringify(k));

/** TOML text of a value (inline tables for mappings); null has no TOML form. */
export function tomlValue(v: unknown): string {
  if (v === null || v === undefined) throw new TypeError("TOML has no null value");
  if (typeof v === "string")
    return JSON.stringify(v).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return pyIntRepr(v);
  if (typeof v === "number") return Number.isInteger(v) ? pyIntRepr(v) : pyFloatRepr(v);
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(", ")}]`;
  if (isMapping(v)) {
    const items = Object.entries(v).map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`);
    return items.length === 0 ? "{}" : `{ ${items.join(", ")} }`;
  }
  throw new TypeError(`no TOML form for ${typeof v}`);
}

const splice = (s: string, start: number, end: number, text: string): string => s.slice(0, start) + text + s.slice(end);

/** The text with one change applied, or null when it cannot be done in place at this depth. */
export function editToml(text: string, change: Change): string | null {
  const sc = new TomlScanner(text).scan();
  const kv = sc.values.filter((v) => samePath(v.path, change.path)).at(-1);
  if (change.op === "set") return kv ? splice(text, kv.valueStart, kv.valueEnd, tomlValue(change.value)) : null;
  if (change.op === "delete") {
    if (kv?.lineStart !== undefined) return splice(text, kv.lineStart, kv.lineEnd!, "");
    const sections = sc.sections.filter(
      (s) => s.path.length >= change.path.length && samePath(s.path.slice(0, change.path.length), change.path),
    );
    if (sections.length === 0 || !sections.some((s) => samePath(s.path, change.path))) return null;
    let out = text;
    for (const s of [...sections].reverse()) out = splice(out, s.start, s.end, "");
    return out;
  }
  // add: a line at the end of the nearest enclosing [table] (or the root), with a dotted key for the rest
  const parent = change.path.slice(0, -1);
  for (let n = parent.length; n >= 0; n--) {
    const section = sc.sections.filter((s) => !s.arrayOfTables && samePath(s.path, parent.slice(0, n))).at(-1);
    if (section === undefined) continue;
    const line = `${change.path.slice(n).map(tomlKey).join(".")} = ${tomlValue(change.value)}\n`;
    const at = section.bodyEnd;
    const sep = at > 0 && text[at - 1] !== "\n" ? "\n" : "";
    return splice(text, at, at, sep + line);
  }
  return null;
}
