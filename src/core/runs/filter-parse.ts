// The `--filter` language of `dvx runs list`, parsed by hand (never eval): comparisons of dotted paths with
// numbers, strings, true/false/null, joined by && || ! and parentheses.
//
//   expr := or          or := and ("||" and)*          and := unary ("&&" unary)*
//   unary := "!" unary | cmp                           cmp := operand (("=="|"!="|"<"|"<="|">"|">="|"~"|"!~") operand)?
//   operand := number | string | true | false | null | path | "(" expr ")"
//   path := name ("." (name | digits))*                name := [A-Za-z_][A-Za-z0-9_-]*
//
// Strings are in "double" or 'single' quotes with backslash escapes; `~` matches a regular expression.
import { AppError, EXIT } from "../../errors.js";

export type CmpOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~";

export type FilterNode =
  | { kind: "or" | "and"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "cmp"; op: CmpOp; left: FilterNode; right: FilterNode; regex?: RegExp }
  | { kind: "literal"; value: number | string | boolean | null }
  | { kind: "path"; segments: string[] };

/** A --filter expression that does not parse: the 1-based column where it went wrong. */
export class FilterSyntaxError extends AppError {
  constructor(expression: string, column: number, reason: string) {
    super("BAD_FILTER", EXIT.usage, `invalid --filter at column ${column}: ${reason}`, {
      hint: `${expression}\n${" ".repeat(Math.max(0, column - 1))}^ (e.g. 'metrics.acc > 0.9 && status == "finished"')`,
      details: { expression, column, reason },
    });
  }
}

interface Token {
  type: "num" | "str" | "name" | "op" | "end";
  text: string;
  value?: number | string;
  col: number;
}

const OPS = ["&&", "||", "==", "!=", "<=", ">=", "!~", "<", ">", "~", "!", "(", ")", "."];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (col: number, reason: string): never => {
    throw new FilterSyntaxError(src, col, reason);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const col = i + 1;
    const num = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i));
    const prev = out.at(-1);
    if (num && (c !== "-" || prev === undefined || prev.type === "op") && !(c === "." && prev?.type === "name")) {
      out.push({ type: "num", text: num[0], value: Number(num[0]), col });
      i += num[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\") j++;
        if (j < src.length) s += src[j++];
      }
      if (j >= src.length) fail(col, "the string is not closed");
      out.push({ type: "str", text: src.slice(i, j + 1), value: s, col });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))![0];
      out.push({ type: "name", text: name, col });
      i += name.length;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (op === undefined) fail(col, `unexpected character '${c}'`);
      out.push({ type: "op", text: op!, col });
      i += op!.length;
    }
  }
  out.push({ type: "end", text: "end of the expression", col: src.length + 1 });
  return out;
}

export function parseFilter(src: string): FilterNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const fail = (t: Token, reason: string): never => {
    throw new FilterSyntaxError(src, t.col, reason);
  };
  const isOp = (text: string): boolean => peek().type === "op" && peek().text === text;

  const binary = (kind: "or" | "and", op: string, next: () => FilterNode) => (): FilterNode => {
    let left = next();
    while (isOp(op)) {
      pos++;
      left = { kind, left, right: next() };
    }
    return left;
  };
  const operand = (): FilterNode => {
    const t = peek();
    pos++;
    if (t.type === "num" || t.type === "str") return { kind: "literal", value: t.value! };
    if (t.type === "op" && t.text === "(") {
      const inner = or();
      if (!isOp(")")) fail(peek(), `expected ')' but found '${peek().text}'`);
      pos++;
      return inner;
    }
    if (t.type === "name") {
      if (t.text === "true" || t.text === "false") return { kind: "literal", value: t.text === "true" };
      if (t.text === "null") return { kind: "literal", value: null };
      const segments = [t.text];
      while (isOp(".")) {
        pos++;
        const s = peek();
        if (s.type !== "name" && !(s.type === "num" && /^\d+$/.test(s.text))) fail(s, "expected a name after '.'");
        segments.push(s.text);
        pos++;
      }
      return { kind: "path", segments };
    }
    return fail(t, t.type === "end" ? "the expression ends too early" : `unexpected '${t.text}'`);
  };
  const cmp = (): FilterNode => {
    const left = operand();
    const t = peek();
    if (t.type !== "op" || !["==", "!=", "<", "<=", ">", ">=", "~", "!~"].includes(t.text)) return left;
    pos++;
    const right = operand();
    const op = t.text as CmpOp;
    if (op !== "~" && op !== "!~") return { kind: "cmp", op, left, right };
    if (right.kind !== "literal" || typeof right.value !== "string") return fail(t, `'${op}' needs a string pattern`);
    try {
      return { kind: "cmp", op, left, right, regex: new RegExp(right.value) };
    } catch (e) {
      return fail(t, `bad pattern: ${(e as Error).message}`);
    }
  };
  const unary = (): FilterNode => {
    if (!isOp("!")) return cmp();
    pos++;
    return { kind: "not", operand: unary() };
  };
  const and = binary("and", "&&", unary);
  const or: () => FilterNode = binary("or", "||", and);

  const tree = or();
  if (peek().type !== "end") fail(peek(), `unexpected '${peek().text}'`);
  return tree;
}
