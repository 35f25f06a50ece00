// A small TOML reader for params files: tables, arrays of tables, dotted/quoted keys, strings (basic,
// literal, multi-line), integers (dec/hex/oct/bin, `_`), floats (inf/nan), booleans, arrays and inline
// tables. Dates and times are kept as their text. Enough for params; not a validating parser.
import { PyFloat } from "../util/py-float.js";

export class TomlError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

type Table = Record<string, unknown>;

/** With `keepFloats`, floats come back as PyFloat (so `1.0` stays a float), as parseYaml does. */
export function parseToml(text: string, opts: { keepFloats?: boolean } = {}): Table {
  return new TomlParser(text.replace(/\r\n/g, "\n"), opts.keepFloats === true).parse();
}

class TomlParser {
  private pos = 0;
  private readonly root: Table = {};
  constructor(
    private readonly src: string,
    private readonly keepFloats: boolean,
  ) {}

  parse(): Table {
    let current = this.root;
    for (;;) {
      this.skipWsAndNewlines();
      if (this.pos >= this.src.length) return this.root;
      if (this.src.startsWith("[[", this.pos)) {
        this.pos += 2;
        const keys = this.parseKey("]]");
        const parent = this.descend(this.root, keys.slice(0, -1));
        const last = keys[keys.length - 1] ?? "";
        const arr = (parent[last] ??= []) as unknown;
        if (!Array.isArray(arr)) this.fail(`'${keys.join(".")}' is not an array of tables`);
        current = {};
        arr.push(current);
      } else if (this.src[this.pos] === "[") {
        this.pos += 1;
        current = this.descend(this.root, this.parseKey("]"));
      } else {
        const keys = this.parseKey("=");
        const target = this.descend(current, keys.slice(0, -1));
        const last = keys[keys.length - 1] ?? "";
        if (last in target) this.fail(`duplicate key '${keys.join(".")}'`);
        target[last] = this.parseValue();
      }
      this.endOfLine();
    }
  }

  private descend(from: Table, keys: string[]): Table {
    let t = from;
    for (const k of keys) {
      let next = t[k];
      if (next === undefined) next = t[k] = {};
      if (Array.isArray(next)) next = next[next.length - 1];
      if (typeof next !== "object" || next === null) this.fail(`'${k}' is not a table`);
      t = next as Table;
    }
    return t;
  }

  /** Reads a (dotted) key and consumes the terminator ("=", "]" or "]]"). */
  private parseKey(terminator: string): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipWs();
      const ch = this.src[this.pos];
      if (ch === '"' || ch === "'") keys.push(this.parseString());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.src.slice(this.pos));
        if (!m) this.fail("expected a key");
        keys.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipWs();
      if (this.src[this.pos] === ".") {
        this.pos += 1;
        continue;
      }
      if (!this.src.startsWith(terminator, this.pos)) this.fail(`expected '${terminator}'`);
      this.pos += terminator.length;
      return keys;
    }
  }

  private parseValue(): unknown {
    this.skipWs();
    const rest = this.src.slice(this.pos);
    const ch = rest[0];
    if (ch === '"' || ch === "'") return this.parseString();
    if (ch === "[") return this.parseArray();
    if (ch === "{") return this.parseInlineTable();
    // A date may be followed by " hh:mm:ss..." (TOML allows a space instead of "T").
    const m = /^\d{4}-\d{2}-\d{2} \d{2}:[^\s,\]}#]*|^[^\s,\]}#]+/.exec(rest);
    if (!m) this.fail("expected a value");
    this.pos += m[0].length;
    return this.scalar(m[0]);
  }

  private scalar(tok: string): unknown {
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (/^[+-]?(inf|nan)$/.test(tok))
      return this.float(tok.endsWith("nan") ? NaN : tok.startsWith("-") ? -Infinity : Infinity);
    const clean = tok.replace(/_/g, "");
    if (/^0x[0-9a-fA-F]+$|^0o[0-7]+$|^0b[01]+$/.test(clean)) return Number(clean);
    if (/^[+-]?\d+$/.test(clean)) return Number(clean);
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(clean)) return this.float(Number(clean));
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(tok)) return tok; // dates and times stay text
    this.fail(`invalid value '${tok}'`);
  }

  private float(n: number): unknown {
    return this.keepFloats ? new PyFloat(n) : n;
  }

  private parseString(): string {
    const src = this.src;
    const quote = src[this.pos] ?? "";
    const multi = src.startsWith(quote.repeat(3), this.pos);
    const delim = multi ? quote.repeat(3) : quote;
    this.pos += delim.length;
    if (multi && src[this.pos] === "\n") this.pos += 1;
    let out = "";
    for (;;) {
      if (this.pos >= src.length) this.fail("unterminated string");
      if (src.startsWith(delim, this.pos)) {
        this.pos += delim.length;
        return out;
      }
      const c = src[this.pos] ?? "";
      if (c === "\n" && !multi) this.fail("newline in string");
      if (c === "\\" && quote === '"') {
        out += this.escape();
        continue;
      }
      out += c;
      this.pos += 1;
    }
  }

  private escape(): string {
    const next = this.src[this.pos + 1] ?? "";
    const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" };
    if (next in simple) {
      this.pos += 2;
      return simple[next] ?? "";
    }
    if (next === "u" || next === "U") {
      const len = next === "u" ? 4 : 8;
      const hex = this.src.slice(this.pos + 2, this.pos + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail("bad unicode escape");
      this.pos += 2 + len;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    if (next === "\n" || next === " " || next === "\t") {
      // line-ending backslash in a multi-line string: skip all following whitespace
      this.pos += 1;
      while (/\s/.test(this.src[this.pos] ?? "")) this.pos += 1;
      return "";
    }
    this.fail(`bad escape '\\${next}'`);
  }

  private parseArray(): unknown[] {
    this.pos += 1;
    const out: unknown[] = [];
    for (;;) {
      this.skipWsAndNewlines();
      if (this.src[this.pos] === "]") break;
      out.push(this.parseValue());
      this.skipWsAndNewlines();
      if (this.src[this.pos] === ",") this.pos += 1;
      else if (this.src[this.pos] !== "]") this.fail("expected ',' or ']'");
    }
    this.pos += 1;
    return out;
  }

  private parseInlineTable(): Table {
    this.pos += 1;
    const out: Table = {};
    this.skipWs();
    if (this.src[this.pos] === "}") {
      this.pos += 1;
      return out;
    }
    for (;;) {
      const keys = this.parseKey("=");
      const target = this.descend(out, keys.slice(0, -1));
      target[keys[keys.length - 1] ?? ""] = this.parseValue();
      this.skipWs();
      const c = this.src[this.pos];
      this.pos += 1;
      if (c === "}") return out;
      if (c !== ",") this.fail("expected ',' or '}'");
    }
  }

  private skipWs(): void {
    while (this.src[this.pos] === " " || this.src[this.pos] === "\t") this.pos += 1;
  }

  private skipWsAndNewlines(): void {
    for (;;) {
      this.skipWs();
      const c = this.src[this.pos];
      if (c === "\n") this.pos += 1;
      else if (c === "#") while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos += 1;
      else return;
    }
  }

  private endOfLine(): void {
    this.skipWs();
    if (this.src[this.pos] === "#") while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos += 1;
    if (this.pos < this.src.length && this.src[this.pos] !== "\n") this.fail("expected end of line");
  }

  private fail(reason: string): never {
    const line = this.src.slice(0, this.pos).split("\n").length;
    throw new TomlError(line, reason);
  }
}
