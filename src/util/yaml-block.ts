// A strict fast path for block-style YAML as dvc.yaml, dvc.lock and params files are written: nested block
// mappings and sequences, one-line plain / single-quoted / double-quoted scalars, one-line flow sequences of
// scalars, comments. The `yaml` package costs ~50-90 ms to load and parses a 150-line dvc.yaml in tens of
// milliseconds when cold; this reads it in well under one. Anything else (anchors, aliases, tags, block scalars,
// flow mappings, multi-line scalars, complex or non-string keys, duplicate keys, tabs, CRs, documents markers)
// returns undefined and the full parser decides, so the answer always equals that parser's (core schema, YAML 1.2).
import { PyFloat } from "./py-float.js";

interface Line {
  indent: number;
  text: string;
}

class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

const NULL = /^(?:~|null|Null|NULL)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
/** Starts that make a plain scalar something else (or that we leave to the full parser): indicators, "- x". */
const BAD_START = /^(?:[?:,[\]{}#&*!|>'"%@`\s]|-(?:\s|$))/;

/** Core schema resolution of a plain scalar (YAML 1.2, as the `yaml` package's core schema does it). */
function resolvePlain(s: string, keepFloats: boolean): unknown {
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === "t" || s[0] === "T";
  if (OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT.test(s)) return Number(s);
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_NAN.test(s)) {
    const v = s.endsWith("nan") || s.endsWith("NaN") || s.endsWith("NAN") ? NaN : s[0] === "-" ? -Infinity : Infinity;
    return keepFloats ? new PyFloat(v) : v;
  }
  if (FLOAT.test(s)) return keepFloats ? new PyFloat(parseFloat(s)) : parseFloat(s);
  return s;
}

/** A plain scalar in block context: its text without a trailing comment, or a decline. */
function plainText(raw: string, flow: boolean): string {
  let s = raw;
  const comment = s.indexOf(" #");
  if (comment !== -1) s = s.slice(0, comment);
  s = s.trimEnd();
  if (s === "" || BAD_START.test(s) || s.includes(": ") || s.endsWith(":") || s.includes("\t")) decline();
  if (flow && /[,[\]{}]/.test(s)) decline();
  if (flow && s.includes(":")) decline(); // `a:b` inside [...] is a one-pair mapping for some parsers
  return s;
}

const DQ_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  '"': '"',
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "0": "\0",
  " ": " ",
};

/** A quoted scalar at the start of `s`: its value and the rest of the line after the closing quote. */
function quoted(s: string): { value: string; rest: string } {
  if (s[0] === "'") {
    let out = "";
    for (let i = 1; i < s.length; i++) {
      if (s[i] !== "'") out += s[i];
      else if (s[i + 1] === "'") {
        out += "'";
        i++;
      } else return { value: out, rest: s.slice(i + 1) };
    }
    return decline();
  }
  let out = "";
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') return { value: out, rest: s.slice(i + 1) };
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = s[++i] ?? "";
    const simple = DQ_ESCAPES[e];
    if (simple !== undefined) out += simple;
    else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else decline();
  }
  return decline();
}

/** After a quoted scalar or a flow collection: only blanks and a comment may follow. */
function endOfValue(rest: string): void {
  if (!/^(?:\s*|\s+#.*)$/.test(rest)) decline();
}

function flowSequence(s: string, keepFloats: boolean): unknown[] {
  const close = s.indexOf("]");
  if (close === -1) decline();
  endOfValue(s.slice(close + 1));
  const body = s.slice(1, close);
  if (body.trim() === "") return [];
  const out: unknown[] = [];
  let rest = body;
  for (;;) {
    rest = rest.trimStart();
    let item: unknown;
    if (rest[0] === "'" || rest[0] === '"') {
      const q = quoted(rest);
      item = q.value;
      rest = q.rest.trimStart();
    } else {
      const comma = rest.indexOf(",");
      item = resolvePlain(plainText(comma === -1 ? rest : rest.slice(0, comma), true), keepFloats);
      rest = comma === -1 ? "" : rest.slice(comma);
    }
    out.push(item);
    if (rest === "") return out;
    if (rest[0] !== ",") decline();
    rest = rest.slice(1);
    if (rest.trim() === "") decline(); // a trailing comma
  }
}

/** A value written on the same line as its key or dash. */
function inlineValue(s: string, keepFloats: boolean): unknown {
  if (s[0] === "'" || s[0] === '"') {
    const q = quoted(s);
    endOfValue(q.rest);
    return q.value;
  }
  if (s[0] === "[") return flowSequence(s, keepFloats);
  if (s[0] === "{") {
    if (!/^\{\s*\}/.test(s)) decline();
    endOfValue(s.slice(s.indexOf("}") + 1));
    return {};
  }
  return resolvePlain(plainText(s, false), keepFloats);
}

/** Splits "key: value" / "key:"; undefined when the line is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  if (text[0] === "'" || text[0] === '"') {
    const q = quoted(text);
    if (q.rest[0] !== ":" || (q.rest.length > 1 && q.rest[1] !== " ")) return undefined;
    return { key: q.value, rest: q.rest.slice(1).trim() };
  }
  const m = /:(?: |$)/.exec(text);
  if (m === null) return undefined;
  const key = text.slice(0, m.index);
  if (key.includes(" #")) return undefined;
  const plain = plainText(key, false);
  if (typeof resolvePlain(plain, false) !== "string" || plain !== key) decline(); // non-string or odd keys
  return { key, rest: text.slice(m.index + 1).trim() };
}

const isItem = (l: Line | undefined, indent: number): boolean =>
  l !== undefined && l.indent === indent && (l.text === "-" || l.text.startsWith("- "));

class BlockParser {
  i = 0;
  constructor(
    private readonly lines: Line[],
    private readonly keepFloats: boolean,
  ) {}

  node(indent: number): unknown {
    return isItem(this.lines[this.i], indent) ? this.sequence(indent) : this.mapping(indent);
  }

  /** The value of a key or dash with nothing after it on its line. */
  nested(indent: number, allowCompactSeq: boolean): unknown {
    const next = this.lines[this.i];
    if (next !== undefined && next.indent > indent) return this.node(next.indent);
    if (allowCompactSeq && isItem(next, indent)) return this.sequence(indent);
    return null;
  }

  mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.indent < indent) break;
      if (line.indent > indent || isItem(line, indent)) decline();
      const kv = splitKey(line.text) ?? decline();
      if (kv.key === "__proto__" || kv.key === "<<" || Object.prototype.hasOwnProperty.call(out, kv.key)) decline();
      this.i++;
      out[kv.key] =
        kv.rest === "" || kv.rest.startsWith("#") ? this.nested(indent, true) : this.scalarLine(kv.rest, indent);
    }
    return out;
  }

  sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (isItem(this.lines[this.i], indent)) {
      const line = this.lines[this.i]!;
      const after = line.text.slice(1);
      const rest = after.trimStart();
      if (rest === "" || rest.startsWith("#")) {
        this.i++;
        out.push(this.nested(indent, false));
        continue;
      }
      if (rest === "-" || rest.startsWith("- ")) decline(); // "- - x"
      const kv = rest[0] === "[" || rest[0] === "{" ? undefined : splitKey(rest);
      if (kv === undefined) {
        this.i++;
        out.push(this.scalarLine(rest, indent));
        continue;
      }
      // "- key: value": a mapping whose first key sits on the dash's line
      const col = indent + 1 + (after.length - rest.length);
      this.lines[this.i] = { indent: col, text: rest };
      out.push(this.mapping(col));
    }
    if (this.i < this.lines.length && this.lines[this.i]!.indent > indent) decline();
    return out;
  }

  /** A value on its key's line; the next line must not continue it. */
  scalarLine(text: string, indent: number): unknown {
    const v = inlineValue(text, this.keepFloats);
    const next = this.lines[this.i];
    if (next !== undefined && next.indent > indent) decline(); // a multi-line scalar
    return v;
  }
}

/** Parses block-style YAML exactly like the full parser would, or returns undefined. */
export function parseBlockYaml(text: string, keepFloats: boolean): unknown {
  if (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const body = raw.trimEnd();
    const t = body.trimStart();
    if (t === "" || t.startsWith("#")) continue;
    if (t.startsWith("---") || t.startsWith("...") || t.startsWith("%") || t.startsWith("? ")) return undefined;
    lines.push({ indent: body.length - t.length, text: t });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  try {
    const p = new BlockParser(lines, keepFloats);
    const value = p.node(0);
    return p.i === lines.length ? value : undefined;
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}
