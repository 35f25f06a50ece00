// In-place edits of a Python params file (the forms DVC reads, docs/formats.md §10.1): the value of a top-level,
// class-level or `self.x` assignment is replaced, a new top-level name is appended, a new class attribute goes at
// the end of its class body, and an assignment alone on its lines can be deleted. A key inside a dict literal
// rewrites that literal. Offsets come from the params reader's own tokenizer (pipeline/python-params.ts).
import { parsePythonParams } from "../pipeline/python-params.js";
import type { Token } from "../pipeline/python-tokens.js";
import { PyFloat, pyFloatRepr, pyIntRepr } from "../util/py-float.js";
import { isMapping } from "./override-apply.js";
import type { Change } from "./params-diff.js";

interface Assign {
  stmt: Token[];
  value: Token[];
}

interface ClassBody {
  first: Token;
  lastNewline: Token;
}

/** Python repr of a str (quotes as Python picks them). */
function reprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += `\\${q}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + q;
}

/** Python source of a params value (a literal ast.literal_eval reads back). */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return reprStr(v);
  if (typeof v === "bigint") return pyIntRepr(v);
  const f = v instanceof PyFloat ? v.value : typeof v === "number" && !Number.isInteger(v) ? v : undefined;
  if (f !== undefined) {
    if (!Number.isFinite(f)) throw new TypeError("inf and nan have no literal form in a Python params file");
    return pyFloatRepr(f);
  }
  if (typeof v === "number") return pyIntRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(", ")}]`;
  if (isMapping(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${reprStr(k)}: ${pyLiteral(x)}`)
      .join(", ")}}`;
  throw new TypeError(`no Python literal for ${typeof v}`);
}

const key = (path: readonly string[]): string => JSON.stringify(path);
const splice = (s: string, start: number, end: number, text: string): string => s.slice(0, start) + text + s.slice(end);

function locate(text: string): { assigns: Map<string, Assign>; classes: Map<string, ClassBody> } {
  const assigns = new Map<string, Assign>();
  const classes = new Map<string, ClassBody>();
  parsePythonParams(text, {
    observer: {
      assign: (path, stmt, value) => assigns.set(key(path), { stmt, value }),
      classBody: (path, first, lastNewline) => classes.set(key(path), { first, lastNewline }),
    },
  });
  return { assigns, classes };
}

/** The span of whole lines holding a statement, or null when it shares a line with other code. */
function wholeLines(text: string, stmt: Token[]): [number, number] | null {
  const start = stmt[0]!.start;
  const end = stmt.at(-1)!.end;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== "") return null;
  const nl = text.indexOf("\n", end);
  const lineEnd = nl === -1 ? text.length : nl + 1;
  const rest = text.slice(end, nl === -1 ? text.length : nl).trim();
  if (rest !== "" && !rest.startsWith("#")) return null;
  return [lineStart, lineEnd];
}

/** The text (universal newlines) with one change applied, or null when it cannot be done in place at this depth. */
export function editPython(text: string, change: Change): string | null {
  const { assigns, classes } = locate(text);
  const found = assigns.get(key(change.path));
  if (change.op === "set") {
    if (!found || found.value.length === 0) return null;
    return splice(text, found.value[0]!.start, found.value.at(-1)!.end, pyLiteral(change.value));
  }
  if (change.op === "delete") {
    const lines = found ? wholeLines(text, found.stmt) : null;
    return lines ? splice(text, lines[0], lines[1], "") : null;
  }
  const name = change.path.at(-1)!;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
  const line = `${name} = ${pyLiteral(change.value)}`;
  if (change.path.length === 1) return text + (text === "" || text.endsWith("\n") ? "" : "\n") + `${line}\n`;
  const body = classes.get(key(change.path.slice(0, -1)));
  if (!body) return null;
  const indent = text.slice(text.lastIndexOf("\n", body.first.start - 1) + 1, body.first.start);
  const nl = body.lastNewline.start;
  const at = text[nl - 1] === "\n" ? nl - 1 : nl;
  return splice(text, at, at, `\n${indent}${line}`);
}
