// Hand-written on purpose: no YAML library emits ruamel.yaml's exact bytes (quoting, indentation, folding).
// A YAML writer that reproduces DVC's output byte for byte: ruamel.yaml's round-trip dumper with
// default_flow_style=False (docs/formats.md §13.1). It follows ruamel's emitter state machine (indentation,
// scalar style choice, folding at 80 columns) for the block subset DVC writes.
import { PyFloat, pyIntRepr } from "./py-float.js";
import { analyzeScalar, BREAKS, escapeChar, needsEscape, resolvesToNonString, yamlFloat } from "./yaml-scalar.js";

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
const MAX_SIMPLE_KEY_LENGTH = 128;

interface ScalarEvent {
  text: string;
  /** the plain form reads back as the same type (ruamel's implicit[0]) */
  implicit: boolean;
  isNull?: boolean;
}

interface NodeContext {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

type Entries = Array<[unknown, unknown]>;

function entriesOf(value: object): Entries {
  const source = value instanceof Map ? [...(value as Map<unknown, unknown>)] : Object.entries(value);
  return source.filter(([, v]) => v !== undefined);
}

class Emitter {
  private readonly out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent: number | null = null;
  private readonly indents: Array<number | null> = [];
  private openEnded = false;
  private represented = 0;

  text(): string {
    return this.out.join("");
  }

  /** Positions the writer as if a block mapping with this indent had just written its indentation. */
  startInMapping(indent: number): void {
    this.indents.push(null);
    this.indent = indent;
    this.column = indent;
    this.represented = 1;
  }

  document(value: unknown): void {
    this.node(value, { root: true });
    this.writeIndent(); // document end
    if (this.openEnded) {
      this.writeIndicator("...", true);
      this.writeIndent();
    }
  }

  /** A `key: value` pair; keys are scalars (a Map may use numbers, booleans, null as keys). */
  pair(key: unknown, value: unknown): void {
    const ev = this.scalarEvent(key, false);
    const chars = Array.from(ev.text);
    if (chars.length < MAX_SIMPLE_KEY_LENGTH && !chars.some((c) => BREAKS.includes(c))) {
      this.scalar(ev, { mapping: true, simpleKey: true });
      this.writeIndicator(":", false);
    } else {
      this.writeIndicator("?", true, false, true);
      this.scalar(ev, { mapping: true });
      this.writeIndent();
      this.writeIndicator(":", true, false, true);
    }
    this.node(value, { mapping: true });
  }

  finish(): void {
    if (this.column > 0) this.writeLineBreak();
  }

  private node(value: unknown, ctx: NodeContext): void {
    const first = this.represented === 0;
    this.represented++;
    if (Array.isArray(value)) {
      if (value.length === 0) return this.emptyFlow("[", "]");
      return this.blockSequence(value, ctx);
    }
    if (value !== null && typeof value === "object" && !(value instanceof PyFloat)) {
      const entries = entriesOf(value);
      if (entries.length === 0) return this.emptyFlow("{", "}");
      return this.blockMapping(entries);
    }
    this.scalar(this.scalarEvent(value, first), ctx);
  }

  private scalarEvent(value: unknown, first: boolean): ScalarEvent {
    if (value === null || value === undefined) return { text: first ? "null" : "", implicit: true, isNull: true };
    if (typeof value === "string") return this.stringEvent(value);
    if (typeof value === "boolean") return { text: value ? "true" : "false", implicit: true };
    if (typeof value === "bigint") return { text: pyIntRepr(value), implicit: true };
    if (typeof value === "number") {
      return { text: Number.isInteger(value) ? pyIntRepr(value) : yamlFloat(value), implicit: true };
    }
    if (value instanceof PyFloat) return { text: yamlFloat(value.value), implicit: true };
    throw new TypeError(`dumpYaml: cannot represent a value of type ${typeof value}`);
  }

  private stringEvent(text: string): ScalarEvent {
    return { text, implicit: !resolvesToNonString(text) };
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? null : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true);
    this.writeIndicator(close, false);
    this.writeLineBreak();
  }

  private blockSequence(items: unknown[], ctx: NodeContext): void {
    this.increaseIndent(false, ctx.mapping === true && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, { sequence: true });
    }
    this.popIndent();
  }

  private blockMapping(entries: Entries): void {
    this.increaseIndent(false);
    for (const [key, value] of entries) {
      this.writeIndent();
      this.pair(key, value);
    }
    this.popIndent();
  }

  private chooseStyle(ev: ScalarEvent, chars: string[], simpleKey: boolean): "" | "'" | '"' {
    const a = analyzeScalar(chars);
    if (ev.implicit && !(simpleKey && (a.empty || a.multiline)) && a.allowBlockPlain) return "";
    if (ev.text.includes("'") || ev.text.includes("\n")) return '"';
    if (a.allowSingleQuoted && !(simpleKey && a.multiline)) return "'";
    return '"';
  }

  private scalar(event: ScalarEvent, ctx: NodeContext): void {
    this.increaseIndent(true);
    let ev = event;
    let chars = Array.from(ev.text);
    let style = this.chooseStyle(ev, chars, ctx.simpleKey === true);
    if (ev.isNull && style === "'") {
      // ruamel's alt_null: a null that cannot stay empty (a mapping key) is written `null`
      ev = { text: "null", implicit: true };
      chars = Array.from(ev.text);
      style = this.chooseStyle(ev, chars, ctx.simpleKey === true);
    }
    const split = !ctx.simpleKey;
    if (ctx.sequence) this.writeIndent();
    if (style === '"') this.writeDoubleQuoted(chars, split);
    else if (style === "'") this.writeSingleQuoted(chars, split);
    else this.writePlain(chars, split, ctx.root === true);
    this.popIndent();
  }

  // --- low-level writers (ruamel's write_indicator / write_indent / write_line_break) ---

  private write(data: string, width = Array.from(data).length): void {
    this.out.push(data);
    this.column += width;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
    this.write(data);
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column));
    }
  }

  private writeLineBreak(data = "\n"): void {
    this.whitespace = true;
    this.indention = true;
    this.out.push(data);
    this.column = 0;
  }

  private writeBreaks(chars: string[]): void {
    if (chars[0] === "\n") this.writeLineBreak();
    for (const br of chars) this.writeLineBreak(br);
    this.writeIndent();
  }

  private writePlain(chars: string[], split: boolean, root: boolean): void {
    if (root) this.openEnded = true;
    if (chars.length === 0) return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(chars.slice(start, end).join(""), end - start);
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.writeBreaks(chars.slice(start, end));
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch)) {
        this.write(chars.slice(start, end).join(""), end - start);
        start = end;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
  }

  private writeSingleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else this.write(chars.slice(start, end).join(""), end - start);
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          this.writeBreaks(chars.slice(start, end));
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}'`.includes(ch)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(""), end - start);
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(chars: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = chars[end];
      if (ch === undefined || needsEscape(ch)) {
        if (start < end) {
          this.write(chars.slice(start, end).join(""), end - start);
          start = end;
        }
        if (ch !== undefined) {
          this.write(escapeChar(ch));
          start = end + 1;
        }
      }
      if (
        0 < end &&
        end < chars.length - 1 &&
        (ch === " " || start >= end) &&
        this.column + (end - start) > BEST_WIDTH &&
        split
      ) {
        this.write(`${chars.slice(start, end).join("")}\\`, Math.max(end - start, 0) + 1);
        if (start < end) start = end;
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === " ") this.write("\\");
      }
    }
    this.writeIndicator('"', false);
  }
}

/**
 * Serializes a value the way DVC writes YAML (ruamel.yaml round-trip dumper, block style, 2-space
 * indent, sequences not indented under their key, folding at 80 columns, trailing newline).
 * Supports plain objects and Maps (insertion order), arrays, strings, booleans, null, numbers
 * (integral → int, else Python float repr), bigint and PyFloat. `undefined` members are skipped.
 */
export function dumpYaml(value: unknown): string {
  const emitter = new Emitter();
  emitter.document(value);
  return emitter.text();
}

/**
 * Writes one `key: value` pair of a block mapping whose keys sit at column `indent`, formatted
 * exactly as dumpYaml would inside a document. The text starts with the key (the caller provides
 * the indentation or the `- ` before it) and ends with a newline. Used to patch existing files.
 */
export function dumpYamlPair(key: string, value: unknown, indent: number): string {
  const emitter = new Emitter();
  emitter.startInMapping(indent);
  emitter.pair(key, value);
  emitter.finish();
  return emitter.text();
}
