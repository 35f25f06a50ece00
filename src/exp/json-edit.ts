// In-place edits of a JSON params file: values are located with a small position-keeping scanner and only the
// changed spans are rewritten, so the file keeps its indentation, key order and number spellings elsewhere.
// New containers follow the file's indentation unit (or stay on one line in a one-line file).
import { pyJsonDumps } from "../util/py-json.js";
import { isMapping } from "./override-apply.js";
import type { Change } from "./params-diff.js";

interface JNode {
  kind: "object" | "array" | "scalar";
  start: number;
  end: number;
  members: Array<{ key: string; start: number; value: JNode }>;
  items: JNode[];
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i]!)) this.i++;
  }

  value(): JNode {
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    const node: JNode = { kind: "scalar", start, end: start, members: [], items: [] };
    if (c === "{") {
      node.kind = "object";
      this.i++;
      this.ws();
      if (this.s[this.i] === "}") this.i++;
      else
        for (;;) {
          this.ws();
          const keyStart = this.i;
          const key = JSON.parse(this.s.slice(keyStart, this.stringEnd())) as string;
          this.ws();
          if (this.s[this.i++] !== ":") throw new SyntaxError("expected ':'");
          node.members.push({ key, start: keyStart, value: this.value() });
          this.ws();
          const sep = this.s[this.i++];
          if (sep === "}") break;
          if (sep !== ",") throw new SyntaxError("expected ',' or '}'");
        }
    } else if (c === "[") {
      node.kind = "array";
      this.i++;
      this.ws();
      if (this.s[this.i] === "]") this.i++;
      else
        for (;;) {
          node.items.push(this.value());
          this.ws();
          const sep = this.s[this.i++];
          if (sep === "]") break;
          if (sep !== ",") throw new SyntaxError("expected ',' or ']'");
        }
    } else if (c === '"') this.i = this.stringEnd();
    else {
      const m = /^[^\s,\]}]+/.exec(this.s.slice(this.i));
      if (!m) throw new SyntaxError("expected a value");
      this.i += m[0].length;
    }
    node.end = this.i;
    return node;
  }

  /** Position after the string literal starting at `i`. */
  stringEnd(): number {
    if (this.s[this.i] !== '"') throw new SyntaxError("expected a string");
    let p = this.i + 1;
    while (p < this.s.length && this.s[p] !== '"') p += this.s[p] === "\\" ? 2 : 1;
    if (p >= this.s.length) throw new SyntaxError("unterminated string");
    this.i = p + 1;
    return this.i;
  }
}

/** The file's indentation unit ("  ", "\t"...), or "" for a one-line file. */
function indentUnit(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? "";
}

/** JSON text of `v` at nesting `depth` (Python json.dumps style: ", " and ": " on one line). */
function render(v: unknown, unit: string, depth: number): string {
  const pad = (d: number): string => unit.repeat(d);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (unit === "") return `[${v.map((x) => render(x, unit, depth + 1)).join(", ")}]`;
    return `[\n${v.map((x) => pad(depth + 1) + render(x, unit, depth + 1)).join(",\n")}\n${pad(depth)}]`;
  }
  if (isMapping(v)) {
    const entries = Object.entries(v).map(([k, x]) => `${pyJsonDumps(k)}: ${render(x, unit, depth + 1)}`);
    if (entries.length === 0) return "{}";
    if (unit === "") return `{${entries.join(", ")}}`;
    return `{\n${entries.map((e) => pad(depth + 1) + e).join(",\n")}\n${pad(depth)}}`;
  }
  return pyJsonDumps(v);
}

function find(root: JNode, path: readonly string[]): JNode | null {
  let node: JNode | undefined = root;
  for (const p of path) {
    if (node.kind === "object") node = node.members.filter((m) => m.key === p).at(-1)?.value;
    else if (node.kind === "array") node = node.items[Number(p)];
    else return null;
    if (node === undefined) return null;
  }
  return node;
}

const splice = (s: string, start: number, end: number, text: string): string => s.slice(0, start) + text + s.slice(end);

/** The text with one change applied, or null when it cannot be done in place at this depth. */
export function editJson(text: string, change: Change): string | null {
  const root = new Scanner(text).value();
  const unit = indentUnit(text);
  const depth = change.path.length - 1;
  const parent = find(root, change.path.slice(0, -1));
  if (change.op === "set") {
    const node = find(root, change.path);
    return node === null ? null : splice(text, node.start, node.end, render(change.value, unit, depth));
  }
  if (parent?.kind !== "object") return null;
  const key = change.path.at(-1)!;
  const members = parent.members;
  if (change.op === "add") {
    const entry = `${pyJsonDumps(key)}: ${render(change.value, unit, depth + 1)}`;
    const last = members.at(-1);
    if (last === undefined) {
      const inner = unit === "" ? entry : `\n${unit.repeat(depth + 1)}${entry}\n${unit.repeat(depth)}`;
      return splice(text, parent.start + 1, parent.end - 1, inner);
    }
    const between = members.length > 1 ? text.slice(members.at(-2)!.value.end, last.start) : null;
    const multiline = text.slice(parent.start + 1, last.start).includes("\n");
    const sep = between ?? (multiline ? `,\n${lineIndent(text, last.start)}` : ", ");
    return splice(text, last.value.end, last.value.end, sep + entry);
  }
  let at = members.length - 1;
  while (at >= 0 && members[at]!.key !== key) at--;
  if (at === -1) return null;
  if (members.length === 1) return splice(text, parent.start + 1, parent.end - 1, "");
  if (at > 0) return splice(text, members[at - 1]!.value.end, members[at]!.value.end, "");
  return splice(text, members[0]!.start, members[1]!.start, "");
}

function lineIndent(text: string, pos: number): string {
  const ls = text.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(ls))![0];
}

/** A whole new text for `data`, indented like `oldText` (used when an in-place edit is not possible). */
export function dumpJsonLike(oldText: string, data: Record<string, unknown>): string {
  return render(data, indentUnit(oldText), 0) + (oldText.endsWith("\n") ? "\n" : "");
}
