// A tokenizer for Python source (CPython 3.11's rules), enough to read params files statically: names, numbers,
// strings (kept as written, decoded later), operators, NEWLINE/INDENT/DEDENT with implicit and explicit line
// joining. What the tokenizer itself rejects in CPython (unterminated strings, unbalanced brackets, bad numbers,
// stray characters, inconsistent dedents) is a PySyntaxError here too.

export class PySyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export type TokenType = "NAME" | "NUMBER" | "STRING" | "OP" | "NEWLINE" | "INDENT" | "DEDENT" | "END";

export interface Token {
  type: TokenType;
  value: string;
  line: number;
  /** Offsets of the token in the source with universal newlines applied ("\r\n" → "\n"). */
  start: number;
  end: number;
}

const DIGITS = "[0-9](?:_?[0-9])*";
const EXPONENT = `[eE][-+]?${DIGITS}`;
const POINT_FLOAT = `(?:${DIGITS}\\.(?:${DIGITS})?|\\.${DIGITS})(?:${EXPONENT})?`;
const FLOAT = `(?:${POINT_FLOAT}|${DIGITS}${EXPONENT})`;
const INT = "(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?0)*|[1-9](?:_?[0-9])*)";
const NUMBER = new RegExp(`(?:${FLOAT}[jJ]?|${DIGITS}[jJ]|${INT})`, "y");
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\u00B7\u0387\u1369-\u1371\u19DA\u200C\u200D]*/uy;
const STRING_PREFIX = /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])$/;
const OPS = [
  "**=", "//=", ">>=", "<<=", "...", "->", ":=", "!=", "==", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
  "^=", "@=", "**", "//", "<<", ">>", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[",
  "]", "{", "}", ",", ":", ";", ".", "=",
]; // prettier-ignore
// a number may touch a keyword (`1if x else 2`), not a name
const KEYWORD_AFTER_NUMBER = /^(?:and|else|for|if|in|is|not|or)\b/;
const CLOSE: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Tokens of `src` (universal newlines applied, as Python's text-mode read does). */
export function tokenize(source: string): Token[] {
  const src = source.replace(/\r\n?/g, "\n");
  if (src.includes("\0")) throw new PySyntaxError(1, "source code cannot contain null bytes");
  const out: Token[] = [];
  const indents = [0];
  const altIndents = [0]; // the same with tabs as one column: both must agree (CPython's TabError)
  const brackets: string[] = [];
  let pos = 0;
  let line = 1;
  let atLineStart = true;
  const fail = (reason: string): never => {
    throw new PySyntaxError(line, reason);
  };
  const push = (type: TokenType, value: string, start = pos, end = start + value.length): void =>
    void out.push({ type, value, line, start, end });

  while (pos < src.length) {
    if (atLineStart && brackets.length === 0) {
      // measure indentation; blank and comment-only lines do not count
      let col = 0;
      let alt = 0;
      let p = pos;
      for (; p < src.length; p++) {
        const c = src[p];
        if (c === " ") col++;
        else if (c === "\t") col = (Math.floor(col / 8) + 1) * 8;
        else if (c === "\f") col = alt = 0;
        else break;
        if (c !== "\f") alt++;
      }
      pos = p;
      atLineStart = false;
      const c = src[p];
      if (c === "\n" || c === "#" || c === "\\" || p >= src.length) continue;
      const tabError = (): never => fail("inconsistent use of tabs and spaces in indentation");
      if (col > indents.at(-1)!) {
        if (alt <= altIndents.at(-1)!) tabError();
        indents.push(col);
        altIndents.push(alt);
        push("INDENT", "");
      }
      while (col < indents.at(-1)!) {
        indents.pop();
        altIndents.pop();
        push("DEDENT", "");
      }
      if (col !== indents.at(-1)) fail("unindent does not match any outer indentation level");
      if (alt !== altIndents.at(-1)) tabError();
    }
    const c = src[pos]!;
    if (c === " " || c === "\t" || c === "\f") pos++;
    else if (c === "#") while (pos < src.length && src[pos] !== "\n") pos++;
    else if (c === "\n") {
      pos++;
      if (brackets.length === 0 && out.length > 0 && !["NEWLINE", "INDENT", "DEDENT"].includes(out.at(-1)!.type))
        push("NEWLINE", "");
      line++;
      atLineStart = true;
    } else if (c === "\\") {
      if (src[pos + 1] !== "\n") fail("unexpected character after line continuation character");
      pos += 2;
      line++;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[pos + 1] ?? ""))) {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(src)![0];
      pos += m.length;
      const rest = src.slice(pos, pos + 8);
      if (/^[\p{L}\p{N}_]/u.test(rest) && !KEYWORD_AFTER_NUMBER.test(rest)) fail("invalid decimal literal");
      push("NUMBER", m, pos - m.length);
    } else if (c === '"' || c === "'") pos = readString(pos, pos);
    else {
      NAME.lastIndex = pos;
      const name = NAME.exec(src)?.[0];
      if (name !== undefined) {
        const q = src[pos + name.length];
        if ((q === '"' || q === "'") && STRING_PREFIX.test(name)) pos = readString(pos, pos + name.length);
        else {
          push("NAME", name.normalize("NFKC"), pos, pos + name.length);
          pos += name.length;
        }
        continue;
      }
      const op = OPS.find((o) => src.startsWith(o, pos));
      if (op === undefined) fail(`invalid character '${c}'`);
      if ("([{".includes(op!)) brackets.push(op!);
      else if (op! in CLOSE) {
        if (brackets.pop() !== CLOSE[op!]) fail(`unmatched '${op}'`);
      }
      push("OP", op!);
      pos += op!.length;
    }
  }
  if (brackets.length > 0) fail(`'${brackets.at(-1)}' was never closed`);
  if (out.length > 0 && !["NEWLINE", "DEDENT"].includes(out.at(-1)!.type)) push("NEWLINE", "");
  for (let i = 1; i < indents.length; i++) push("DEDENT", "");
  push("END", "");
  return out;

  /** Reads the string literal whose prefix starts at `start` and quote at `q`; returns the position after it. */
  function readString(start: number, q: number): number {
    const quote = src[q]!;
    const triple = src.startsWith(quote.repeat(3), q);
    const delim = triple ? quote.repeat(3) : quote;
    const first = line;
    let p = q + delim.length;
    for (;;) {
      if (p >= src.length) {
        line = first;
        fail(triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
      }
      const ch = src[p]!;
      if (ch === "\\") {
        if (src[p + 1] === "\n") line++;
        p += 2;
        continue;
      }
      if (src.startsWith(delim, p)) break;
      if (ch === "\n") {
        if (!triple) {
          line = first;
          fail("unterminated string literal");
        }
        line++;
      }
      p++;
    }
    p += delim.length;
    out.push({ type: "STRING", value: src.slice(start, p), line: first, start, end: p });
    return p;
  }
}
