// ast.literal_eval over the tokens of one expression (CPython 3.11): constants, strings (with escapes and
// adjacent-literal concatenation), True/False/None, signed numbers, tuples, lists, sets, dicts and `set()`.
// NOT_LITERAL for anything else (names, calls, operators, f-strings), as literal_eval raises ValueError.
import { PySyntaxError, type Token } from "./python-tokens.js";

export type PyVal =
  | { k: "int"; v: bigint }
  | { k: "float"; v: number }
  | { k: "complex" }
  | { k: "str"; v: string }
  | { k: "bytes"; v: string }
  | { k: "bool"; v: boolean }
  | { k: "none" }
  | { k: "ellipsis" }
  | { k: "list" | "tuple" | "set"; items: PyVal[] }
  | { k: "dict"; entries: [PyVal, PyVal][] };

export const NOT_LITERAL = Symbol("not a literal");
type Result = PyVal | typeof NOT_LITERAL;

/** The value of `toks` (a whole expression, a bare tuple allowed), or NOT_LITERAL. */
export function literalEval(toks: Token[]): Result {
  const p = new LiteralParser(toks);
  const seq = p.items(null);
  if (seq === NOT_LITERAL || seq.items.length === 0) return NOT_LITERAL;
  return seq.items.length === 1 && !seq.comma ? seq.items[0]! : { k: "tuple", items: seq.items };
}

class LiteralParser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private op(value: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.type === "OP" && t.value === value;
  }

  /** Comma-separated values up to and including `close` (null: the end of the tokens). */
  items(close: string | null): { items: PyVal[]; comma: boolean } | typeof NOT_LITERAL {
    const items: PyVal[] = [];
    let comma = false;
    const atClose = (): boolean => (close === null ? this.i >= this.toks.length : this.op(close));
    while (!atClose()) {
      const v = this.value();
      if (v === NOT_LITERAL) return NOT_LITERAL;
      items.push(v);
      if (atClose()) break;
      if (!this.op(",")) return NOT_LITERAL;
      this.i++;
      comma = true;
    }
    this.i++;
    return { items, comma };
  }

  private value(): Result {
    const t = this.toks[this.i];
    if (t !== undefined && t.type === "OP" && (t.value === "-" || t.value === "+")) {
      this.i++;
      const operand = this.atom();
      if (operand === NOT_LITERAL || !["int", "float", "complex"].includes(operand.k)) return NOT_LITERAL;
      return this.complexTail(t.value === "+" ? operand : negate(operand));
    }
    return this.complexTail(this.atom());
  }

  /** `1 + 2j`: a signed real plus or minus an imaginary number (literal_eval's only BinOp). */
  private complexTail(left: Result): Result {
    if (left === NOT_LITERAL || !(this.op("+") || this.op("-"))) return left;
    if (left.k !== "int" && left.k !== "float") return NOT_LITERAL;
    this.i++;
    const right = this.atom();
    return right !== NOT_LITERAL && right.k === "complex" ? { k: "complex" } : NOT_LITERAL;
  }

  private atom(): Result {
    const t = this.toks[this.i++];
    if (t === undefined) return NOT_LITERAL;
    if (t.type === "NUMBER") return parseNumber(t.value);
    if (t.type === "STRING") return this.strings(t);
    if (t.type === "NAME") {
      if (t.value === "True" || t.value === "False") return { k: "bool", v: t.value === "True" };
      if (t.value === "None") return { k: "none" };
      if (t.value === "set" && this.op("(") && this.toks[this.i + 1]?.value === ")") {
        this.i += 2;
        return { k: "set", items: [] };
      }
      return NOT_LITERAL;
    }
    if (t.type !== "OP") return NOT_LITERAL;
    if (t.value === "...") return { k: "ellipsis" };
    if (t.value === "(") {
      const seq = this.items(")");
      if (seq === NOT_LITERAL) return NOT_LITERAL;
      return seq.items.length === 1 && !seq.comma ? seq.items[0]! : { k: "tuple", items: seq.items };
    }
    if (t.value === "[") {
      const seq = this.items("]");
      return seq === NOT_LITERAL ? NOT_LITERAL : { k: "list", items: seq.items };
    }
    if (t.value === "{") return this.braces();
    return NOT_LITERAL;
  }

  /** A dict or a set (after "{"). */
  private braces(): Result {
    if (this.op("}")) {
      this.i++;
      return { k: "dict", entries: [] };
    }
    const start = this.i;
    const first = this.value();
    if (first === NOT_LITERAL) return NOT_LITERAL;
    if (!this.op(":")) {
      this.i = start;
      const seq = this.items("}");
      return seq === NOT_LITERAL ? NOT_LITERAL : { k: "set", items: seq.items };
    }
    const entries: [PyVal, PyVal][] = [];
    let key: Result = first;
    for (;;) {
      if (key === NOT_LITERAL || !this.op(":")) return NOT_LITERAL;
      this.i++;
      const val = this.value();
      if (val === NOT_LITERAL) return NOT_LITERAL;
      entries.push([key, val]);
      const comma = this.op(",");
      if (comma) this.i++;
      if (this.op("}")) {
        this.i++;
        return { k: "dict", entries };
      }
      if (!comma) return NOT_LITERAL;
      key = this.value();
    }
  }

  /** Adjacent string literals concatenate; str and bytes do not mix; an f-string makes a non-literal. */
  private strings(first: Token): Result {
    const parts = [first];
    while (this.toks[this.i]?.type === "STRING") parts.push(this.toks[this.i++]!);
    const decoded = parts.map(decodeString);
    const bytes = decoded.filter((d) => d.bytes).length;
    if (bytes !== 0 && bytes !== decoded.length) throw new PySyntaxError(first.line, "cannot mix bytes and nonbytes");
    if (decoded.some((d) => d.fstring)) return NOT_LITERAL;
    if (decoded.some((d) => d.value === null)) return NOT_LITERAL; // \N{...}: no Unicode name table here
    const v = decoded.map((d) => d.value).join("");
    return bytes ? { k: "bytes", v } : { k: "str", v };
  }
}

function negate(v: PyVal): PyVal {
  if (v.k === "int") return { k: "int", v: -v.v };
  if (v.k === "float") return { k: "float", v: -v.v };
  return v;
}

function parseNumber(text: string): PyVal {
  const t = text.replace(/_/g, "");
  if (/[jJ]$/.test(t)) return { k: "complex" };
  if (/^0[xXoObB]/.test(t)) return { k: "int", v: BigInt(t.toLowerCase()) };
  if (/^[0-9]+$/.test(t)) return { k: "int", v: BigInt(t) };
  return { k: "float", v: Number(t) };
}

interface Decoded {
  value: string | null;
  bytes: boolean;
  fstring: boolean;
}

const SIMPLE: Record<string, string> = {
  "\n": "",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function decodeString(tok: Token): Decoded {
  const raw = tok.value;
  const q = raw.search(/['"]/);
  const prefix = raw.slice(0, q).toLowerCase();
  const delim = raw.startsWith(raw[q]!.repeat(3), q) ? 3 : 1;
  const body = raw.slice(q + delim, raw.length - delim);
  const bytes = prefix.includes("b");
  const fstring = prefix.includes("f");
  if (bytes && /[^\p{ASCII}]/u.test(body)) throw new PySyntaxError(tok.line, "bytes can only contain ASCII characters");
  if (prefix.includes("r") || fstring) return { value: body, bytes, fstring };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i] ?? "";
    if (n in SIMPLE) out += SIMPLE[n];
    else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length - 1;
    } else if (n === "x" || (!bytes && (n === "u" || n === "U"))) {
      const len = n === "x" ? 2 : n === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new PySyntaxError(tok.line, `truncated \\${n} escape`);
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new PySyntaxError(tok.line, "illegal Unicode character");
      out += String.fromCodePoint(cp);
      i += len;
    } else if (n === "N" && !bytes) return { value: null, bytes, fstring };
    else out += `\\${n}`; // unknown escapes stay as written
  }
  return { value: out, bytes, fstring };
}
