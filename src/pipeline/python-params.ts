// Python params files read statically, as DVC's dvc/utils/serialize/_py.py does with `ast`
// (docs/formats.md §10.1): top-level `NAME = literal` and `NAME: T = literal`, class bodies as nested mappings,
// `self.x = literal` in an `__init__`, values through ast.literal_eval; any other statement or value is skipped.
// Values DVC reads but that have no params form here are skipped too (complex numbers, bytes, `...`, tuple keys,
// `\N{name}` escapes); sets become lists in source order, tuples lists. A syntax error that CPython's tokenizer
// or block structure would report is a PySyntaxError; deeper grammar errors in skipped statements go unnoticed.
import { literalEval, NOT_LITERAL } from "./python-literal.js";
import { PySyntaxError, tokenize, type Token } from "./python-tokens.js";
import { toData, UNSUPPORTED } from "./python-values.js";

export { PySyntaxError };

type Data = Record<string, unknown>;
/** Which assignments a block collects: `NAME` and `self.NAME` targets, only `self.NAME` (in `__init__`), none. */
type Mode = "all" | "self" | "skip";

const COMPOUND = new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async"]);

/** Where the values come from (for editors that rewrite a params file in place: `dvx exp run -S`). */
export interface PyParamsObserver {
  /** An assignment that gave `path` its value: the whole statement's tokens and the value's tokens. */
  assign(path: string[], stmt: Token[], value: Token[]): void;
  /** A class body read as the mapping at `path`: its first and last statements' tokens. */
  classBody(path: string[], first: Token, lastEnd: Token): void;
}

/** The mapping DVC's parse_py gives for `text`; with `keepFloats`, floats are PyFloat. */
export function parsePythonParams(
  text: string,
  opts: { keepFloats?: boolean; observer?: PyParamsObserver } = {},
): Data {
  const toks = tokenize(text);
  const walker = new Walker(toks, opts.keepFloats === true, opts.observer);
  return walker.block("all", []);
}

class Walker {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly keepFloats: boolean,
    private readonly observer?: PyParamsObserver,
  ) {}

  /** The statements of one block (to its DEDENT, or the end) into a mapping; `path`: where it goes. */
  block(mode: Mode, path: string[], isClass = false): Data {
    const out: Data = {};
    const first = this.toks[this.i];
    const done = (): Data => {
      let k = this.i - 1;
      while (k > 0 && this.toks[k]!.type !== "NEWLINE") k--;
      const lastNewline = this.toks[k];
      if (isClass && first && lastNewline) this.observer?.classBody(path, first, lastNewline);
      return out;
    };
    for (;;) {
      const t = this.toks[this.i];
      if (t === undefined || t.type === "END") return done();
      if (t.type === "DEDENT") {
        this.i++;
        return done();
      }
      if (t.type === "INDENT") throw new PySyntaxError(t.line, "unexpected indent");
      const start = this.i;
      while (this.toks[this.i]!.type !== "NEWLINE") this.i++;
      const line = this.toks.slice(start, this.i++);
      this.statement(line, mode, out, path);
    }
  }

  private statement(line: Token[], mode: Mode, out: Data, path: string[]): void {
    const head = line[0]!;
    const word = head.type === "NAME" ? head.value : "";
    const soft = (word === "match" || word === "case") && line.at(-1)!.value === ":" && line.length > 1;
    if (word === "class" || word === "def" || COMPOUND.has(word) || soft) {
      const colon = depthZero(line, ":");
      if (colon < 0) throw new PySyntaxError(head.line, "expected ':'");
      const inline = line.slice(colon + 1);
      const name = line[1]?.type === "NAME" ? line[1].value : "";
      const innerPath = word === "class" ? [...path, name] : path;
      const body = (m: Mode): Data =>
        inline.length > 0 ? this.simple(inline, m, {}, innerPath) : this.nested(head, m, innerPath, word === "class");
      // a class body is read whole, even inside __init__; another function's or statement's body is not read
      const inner = (m: Mode): Mode => (mode === "skip" ? "skip" : m);
      if (word === "class" && name) {
        const data = body(inner("all"));
        if (mode !== "skip") out[name] = data;
      } else if (word === "def" && name === "__init__") Object.assign(out, body(inner("self")));
      else body("skip");
      return;
    }
    if (head.value === "@") return; // a decorator: the class or def follows
    this.simple(line, mode, out, path);
  }

  /** The indented block after a compound statement's header. */
  private nested(head: Token, mode: Mode, path: string[], isClass: boolean): Data {
    const t = this.toks[this.i];
    if (t?.type !== "INDENT") throw new PySyntaxError(t?.line ?? head.line, "expected an indented block");
    this.i++;
    return this.block(mode, path, isClass && mode !== "skip");
  }

  /** Simple statements separated by ";": the assignments DVC collects go into `out`. */
  private simple(toks: Token[], mode: Mode, out: Data, path: string[]): Data {
    if (mode === "skip") return out;
    let start = 0;
    for (let k = 0; k <= toks.length; k++) {
      if (k < toks.length && !(toks[k]!.value === ";" && depth(toks, k) === 0)) continue;
      this.assignment(toks.slice(start, k), mode === "self", out, path);
      start = k + 1;
    }
    return out;
  }

  private assignment(stmt: Token[], selfOnly: boolean, out: Data, path: string[]): void {
    const eqs = stmt.flatMap((t, k) => (t.type === "OP" && t.value === "=" && depth(stmt, k) === 0 ? [k] : []));
    if (eqs.length !== 1) return; // no assignment, or a chained one (several targets: DVC skips it)
    const colon = depthZero(stmt, ":");
    const targetEnd = colon >= 0 && colon < eqs[0]! ? colon : eqs[0]!;
    const name = targetName(stmt.slice(0, targetEnd), selfOnly);
    if (name === undefined) return;
    const valueToks = stmt.slice(eqs[0]! + 1);
    const value = literalEval(valueToks);
    if (value === NOT_LITERAL) return;
    const js = toData(value, this.keepFloats, stmt[0]!.line);
    if (js === UNSUPPORTED) return;
    out[name] = js;
    this.observer?.assign([...path, name], stmt, valueToks);
  }
}

/** `NAME` (not in `__init__`) or `self.NAME`, parentheses allowed around it; else undefined. */
function targetName(target: Token[], selfOnly: boolean): string | undefined {
  let t = target;
  while (t.length >= 2 && t[0]!.value === "(" && t.at(-1)!.value === ")") t = t.slice(1, -1);
  if (t.length === 1 && t[0]!.type === "NAME" && !selfOnly) return t[0]!.value;
  if (t.length === 3 && t[0]!.type === "NAME" && t[0]!.value === "self" && t[1]!.value === "." && t[2]!.type === "NAME")
    return t[2]!.value;
  return undefined;
}

function depth(toks: Token[], at: number): number {
  let d = 0;
  for (let k = 0; k < at; k++) {
    const v = toks[k]!;
    if (v.type !== "OP") continue;
    if ("([{".includes(v.value)) d++;
    else if (")]}".includes(v.value)) d--;
  }
  return d;
}

function depthZero(toks: Token[], value: string): number {
  let d = 0;
  for (let k = 0; k < toks.length; k++) {
    const v = toks[k]!;
    if (v.type !== "OP") continue;
    if ("([{".includes(v.value)) d++;
    else if (")]}".includes(v.value)) d--;
    else if (d === 0 && v.value === value) return k;
  }
  return -1;
}
