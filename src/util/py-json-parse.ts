// Python's json.loads for data files (metrics, params): like JSON.parse, but a number written as a float
// (`1.0`, `2e3`) stays a float (PyFloat when integral), integers beyond 2**53 stay exact (bigint), and
// Python's NaN / Infinity / -Infinity literals are accepted. Duplicate keys: the last one wins.
import { PyFloat } from "./py-float.js";

export class PyJsonError extends SyntaxError {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason}: line ${line} column ${column}`);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const WS = /[ \t\n\r]*/y;
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const STRING_PLAIN = /[^"\\\x00-\x1f]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export function parsePyJson(text: string): unknown {
  let pos = 0;
  const fail = (reason: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    throw new PyJsonError(reason, line, at - before.lastIndexOf("\n"));
  };
  const ws = (): void => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const literal = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, pos)) fail("Expecting value");
    pos += word.length;
    return value;
  };
  const string = (): string => {
    pos++; // opening quote
    let out = "";
    for (;;) {
      STRING_PLAIN.lastIndex = pos;
      out += STRING_PLAIN.exec(text)![0];
      pos = STRING_PLAIN.lastIndex;
      const ch = text[pos];
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch !== "\\") fail(ch === undefined ? "Unterminated string starting at" : "Invalid control character at");
      const esc = text[pos + 1];
      const simple = esc === undefined ? undefined : ESCAPES[esc];
      if (simple !== undefined) {
        out += simple;
        pos += 2;
      } else if (esc === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else fail("Invalid \\escape");
    }
  };
  const number = (): unknown => {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return fail("Expecting value");
    pos = NUMBER.lastIndex;
    const n = Number(m[0]);
    if (m[1] === undefined && m[2] === undefined) return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    return Number.isInteger(n) ? new PyFloat(n) : n;
  };
  const value = (depth: number): unknown => {
    if (depth > 1000) fail("maximum nesting depth exceeded");
    ws();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail("Expecting property name enclosed in double quotes");
        const key = string();
        ws();
        if (text[pos] !== ":") fail("Expecting ':' delimiter");
        pos++;
        Object.defineProperty(obj, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ws();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "}") {
          pos++;
          return obj;
        } else fail("Expecting ',' delimiter");
      }
    }
    if (ch === "[") {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[pos] === ",") pos++;
        else if (text[pos] === "]") {
          pos++;
          return arr;
        } else fail("Expecting ',' delimiter");
      }
    }
    if (ch === '"') return string();
    if (ch === "t") return literal("true", true);
    if (ch === "f") return literal("false", false);
    if (ch === "n") return literal("null", null);
    if (ch === "N") return literal("NaN", NaN);
    if (ch === "I") return literal("Infinity", Infinity);
    if (ch === "-" && text.startsWith("-Infinity", pos)) return literal("-Infinity", -Infinity);
    return number();
  };
  // Python's json.load of a file decodes UTF-8 and refuses a BOM; a BOM here is "Unexpected UTF-8 BOM".
  if (text.charCodeAt(0) === 0xfeff) fail("Unexpected UTF-8 BOM (decode using utf-8-sig)");
  const result = value(0);
  ws();
  if (pos < text.length) fail("Extra data");
  return result;
}
