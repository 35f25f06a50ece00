// Scalar rules of ruamel.yaml's emitter as DVC uses it (YAML 1.2 resolvers, allow_unicode=True):
// which strings must be quoted, which characters force double quotes, and how they are escaped.
import { pyFloatRepr } from "./py-float.js";

export const BREAKS = "\n\x85\u2028\u2029";
const WHITESPACE = "\0 \t\r\n\x85\u2028\u2029";

// ruamel's YAML 1.2 implicit resolvers, each with the first characters it is tried for: a string
// that one of them matches would not read back as a string, so it must be quoted.
const RESOLVERS: Array<[string, RegExp]> = [
  ["tTfF", /^(?:true|True|TRUE|false|False|FALSE)$/],
  [
    "-+0123456789.",
    /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  ],
  ["-+0123456789", /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/],
  ["<", /^<<$/],
  ["~nN", /^(?:~|null|Null|NULL)$/],
  [
    "0123456789",
    /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  ],
  ["=", /^=$/],
  ["!&*", /^(?:!|&|\*)$/],
];

/** True when a plain scalar with this text would not read back as a string (YAML 1.2, ruamel). */
export function resolvesToNonString(text: string): boolean {
  if (text === "") return true; // null
  const first = text[0] as string;
  // Python's `$` also matches just before a final newline.
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return RESOLVERS.some(([firsts, re]) => firsts.includes(first) && (re.test(text) || re.test(body)));
}

export interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isUnicodePrintable(cp: number): boolean {
  return (
    (cp === 0x85 ||
      (cp >= 0xa0 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff)) &&
    cp !== 0xfeff
  );
}

/** ruamel's Emitter.analyze_scalar, block context only, allow_unicode=True. */
export function analyzeScalar(chars: string[]): Analysis {
  const n = chars.length;
  if (n === 0) return { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  const text = chars.join("");
  if (text.startsWith("---") || text.startsWith("...")) blockIndicators = true;
  let precededByWs = true;
  let followedByWs = n === 1 || WHITESPACE.includes(chars[1] as string);
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < n; i++) {
    const ch = chars[i] as string;
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
      if ((ch === "?" || ch === ":") && followedByWs) blockIndicators = true;
      if (ch === "-" && followedByWs) blockIndicators = true;
    } else {
      if (ch === ":" && followedByWs) blockIndicators = true;
      if (ch === "#" && precededByWs) blockIndicators = true;
    }
    const isBreak = BREAKS.includes(ch);
    if (isBreak) lineBreaks = true;
    const cp = ch.codePointAt(0) as number;
    if (!(ch === "\n" || (cp >= 0x20 && cp <= 0x7e)) && !isUnicodePrintable(cp)) special = true;
    if (ch === " ") {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak) {
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWs = WHITESPACE.includes(ch);
    followedByWs = i + 2 >= n || WHITESPACE.includes(chars[i + 2] as string);
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (special || spaceBreak) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks || blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\t": "t",
  "\n": "n",
  "\x0b": "v",
  "\x0c": "f",
  "\r": "r",
  "\x1b": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xa0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

export function escapeChar(ch: string): string {
  const short = ESCAPES[ch];
  if (short !== undefined) return `\\${short}`;
  const cp = ch.codePointAt(0) as number;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

export function needsEscape(ch: string): boolean {
  if ('"\\\x85\u2028\u2029\ufeff'.includes(ch)) return true;
  const cp = ch.codePointAt(0) as number;
  return !((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd));
}

/** A float as ruamel writes it: Python repr, `.nan`, `.inf`, `-.inf`. */
export function yamlFloat(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (n === Infinity) return ".inf";
  if (n === -Infinity) return "-.inf";
  return pyFloatRepr(n).toLowerCase();
}
