// The YAML reader for every YAML file dvx reads (pointer files, dvc.yaml, dvc.lock, params, metrics),
// and the in-place updater for files DVC re-saves. YAML 1.2 core schema, as DVC's ruamel loader:
// `yes`/`no`/`on`/`off` stay strings. The only importer of the `yaml` package.
// `yaml` costs ~30-60 ms to load, so it is required lazily: plain pointer files never need it.
import { createRequire } from "node:module";
import type * as YamlModule from "yaml";
import type { Document, Node, Pair, YAMLMap } from "yaml";
import { parseBlockYaml } from "./yaml-block.js";
import { parseSimpleYaml } from "./yaml-fast.js";
import { PyFloat } from "./py-float.js";
import { dumpYaml, dumpYamlPair } from "./yaml-dump.js";

let yamlModule: typeof YamlModule | undefined;
const Y = (): typeof YamlModule => (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof YamlModule);
const isMap = (n: unknown): n is YAMLMap => Y().isMap(n);
const isSeq = (n: unknown): n is YamlModule.YAMLSeq => Y().isSeq(n);
const isScalar = (n: unknown): n is YamlModule.Scalar => Y().isScalar(n);

export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ${reason}`);
  }
}

export interface ParseYamlOptions {
  /**
   * Return floats (`1.0`, `1e-5`, `0.5`, `.inf`) as PyFloat instances, so that they can be
   * written back as floats (JS numbers lose the int/float distinction of `1.0`).
   * Mapping keys are never converted.
   */
  keepFloats?: boolean;
}

const FLOAT_TAG = "tag:yaml.org,2002:float";
// YAML 1.2 core schema floats, as resolved by the `yaml` package's core schema.
const CORE_FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** Parses YAML into a Document (source ranges kept); throws YamlSyntaxError with a line number. */
export function parseYamlDocument(text: string, file: string, opts: ParseYamlOptions = {}): Document {
  // prettyErrors gives each error its line/column (linePos); the message's first line is kept
  const doc = Y().parseDocument(text, { version: "1.2", schema: "core", uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const reason = (err.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new YamlSyntaxError(file, line, reason || "invalid YAML", err.linePos?.[0]?.col);
  }
  if (opts.keepFloats) {
    Y().visit(doc, {
      Scalar(key, node) {
        if (key === "key") return;
        // `!!float 2` is not a core-schema float literal: the yaml package leaves it a string
        if (
          node.tag === FLOAT_TAG &&
          typeof node.value === "string" &&
          node.value.trim() !== "" &&
          !Number.isNaN(Number(node.value))
        ) {
          node.value = new PyFloat(Number(node.value));
          return;
        }
        if (typeof node.value !== "number") return;
        const source = (node as { source?: unknown }).source;
        const plainFloat =
          node.tag === undefined && node.type === "PLAIN" && typeof source === "string" && CORE_FLOAT.test(source);
        if (node.tag === FLOAT_TAG || plainFloat) node.value = new PyFloat(node.value);
      },
    });
  }
  return doc;
}

/** Parsed documents by text: the same file read at two revisions (dvc.yaml, params) is parsed once. */
const parsed = new Map<string, unknown>();
const PARSED_MAX = 64;
const PARSED_MAX_TEXT = 256 * 1024;
/** Small texts parse about as fast as their result is copied: keeping them only churns the cache. */
const PARSED_MIN_TEXT = 2048;

/** A copy of parsed data (mappings, lists, scalars, PyFloat): callers may mutate what they get. */
function copyParsed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyParsed);
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // a plain assignment is much faster; only "__proto__" needs defineProperty to stay an own key
      if (k === "__proto__")
        Object.defineProperty(out, k, { value: copyParsed(x), enumerable: true, writable: true, configurable: true });
      else out[k] = copyParsed(x);
    }
    return out;
  }
  return v;
}

/** Parses YAML text into plain JS values; throws YamlSyntaxError with a line number on bad input. */
export function parseYaml(text: string, file: string, opts: ParseYamlOptions = {}): unknown {
  const simple = parseSimpleYaml(text);
  if (simple !== undefined) return simple;
  const cached = text.length >= PARSED_MIN_TEXT && text.length <= PARSED_MAX_TEXT;
  const key = cached ? `${opts.keepFloats ? 1 : 0}${text}` : "";
  if (cached && parsed.has(key)) return copyParsed(parsed.get(key));
  const value: unknown =
    parseBlockYaml(text, opts.keepFloats === true) ?? parseYamlDocument(text, file, opts).toJS({ maxAliasCount: 100 });
  if (!cached) return value;
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(key, copyParsed(value));
  return value;
}

// --- updating a YAML file in place (what DVC does through ruamel's round trip, docs/formats.md §2.4) ---

type Mapping = Record<string, unknown>;

const isMapping = (v: unknown): v is Mapping =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat);

const numeric = (v: unknown): number | undefined =>
  typeof v === "number"
    ? v
    : typeof v === "boolean"
      ? Number(v)
      : typeof v === "bigint"
        ? Number(v)
        : v instanceof PyFloat
          ? v.value
          : undefined;

/** Python `==` on parsed YAML values: 1 == 1.0 == True, dicts ignore key order. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  return false;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

class Patcher {
  readonly edits: Edit[] = [];
  constructor(
    private readonly text: string,
    private readonly doc: Document,
  ) {}

  private lineStart(pos: number): number {
    return this.text.lastIndexOf("\n", pos - 1) + 1;
  }

  /** End of the line holding the end of this pair (after its newline). */
  private pairLineEnd(pair: Pair): number {
    const v = pair.value as Node | null;
    const k = pair.key as Node;
    const e = v?.range ? Math.max(v.range[1], v.range[2]) : (k.range?.[2] ?? 0);
    if (e > 0 && this.text[e - 1] === "\n") return e;
    const nl = this.text.indexOf("\n", e);
    return nl === -1 ? this.text.length : nl + 1;
  }

  /**
   * Where keys appended to a mapping go: after its last entry and the comment and blank lines that follow
   * it (ruamel keeps those attached to the last entry, so what DVC appends comes after them), except after
   * a flow collection, whose trailing comment ruamel keeps at the end.
   */
  private appendPoint(last: Pair): number {
    let at = this.pairLineEnd(last);
    const tail = this.text.slice(0, this.valueEnd(last)).replace(/\s*#[^\n]*$/, "");
    if (/[\]}]$/.test(tail)) return at;
    while (at < this.text.length) {
      const nl = this.text.indexOf("\n", at);
      const end = nl === -1 ? this.text.length : nl + 1;
      const line = this.text.slice(at, end).trim();
      if (line !== "" && !line.startsWith("#")) break;
      at = end;
    }
    return at;
  }

  /** End of the pair's value text, without trailing blanks and newlines. */
  private valueEnd(pair: Pair): number {
    const v = pair.value as Node | null;
    let e = v?.range ? v.range[1] : ((pair.key as Node).range?.[1] ?? 0) + 1;
    while (e > 0 && (this.text[e - 1] === "\n" || this.text[e - 1] === " ")) e--;
    return e;
  }

  /** Patches a mapping node to hold `src`; false when that cannot be done in place. */
  patchMap(map: YAMLMap, src: Mapping): boolean {
    if (map.flow) return pyEquals(map.toJS(this.doc), src);
    const pairs = map.items as Pair[];
    const first = pairs[0];
    const keyStart = (p: Pair): number => (p.key as Node).range?.[0] ?? 0;
    const indent = first ? keyStart(first) - this.lineStart(keyStart(first)) : 0;
    const byKey = new Map<string, Pair>();
    for (const p of pairs) byKey.set(String(isScalar(p.key) ? p.key.value : p.key), p);
    const appended: string[] = [];
    let survivors = 0;
    for (const [key, value] of Object.entries(src)) {
      if (value === undefined) continue;
      const pair = byKey.get(key);
      if (!pair) {
        appended.push(" ".repeat(indent) + dumpYamlPair(key, value, indent));
        continue;
      }
      survivors++;
      const node = pair.value as Node | null;
      const old: unknown = node ? node.toJS(this.doc) : null;
      const sameContainer = (isMapping(value) && isMapping(old)) || (Array.isArray(value) && Array.isArray(old));
      const mark = this.edits.length;
      if (sameContainer && node && this.patchNode(node, value)) continue;
      this.edits.length = mark; // drop what a failed in-place patch had queued
      if (sameContainer || !pyEquals(old, value)) this.replaceValue(pair, key, value, indent);
    }
    for (const [key, pair] of byKey) {
      if (Object.prototype.hasOwnProperty.call(src, key) && src[key] !== undefined) continue;
      const start = this.lineStart(keyStart(pair));
      if (this.text.slice(start, keyStart(pair)).trim() !== "") return false; // first key after "- "
      this.edits.push({ start, end: this.pairLineEnd(pair), text: "" });
    }
    if (survivors + appended.length === 0) return false;
    if (appended.length > 0) {
      const last = pairs[pairs.length - 1];
      const at = last ? this.appendPoint(last) : this.text.length;
      const sep = at === this.text.length && !this.text.endsWith("\n") ? "\n" : "";
      this.edits.push({ start: at, end: at, text: sep + appended.join("") });
    }
    return true;
  }

  /** Rewrites one pair; a block collection keeps its `key:` line (and the comment on it). */
  private replaceValue(pair: Pair, key: string, value: unknown, indent: number): void {
    const text = dumpYamlPair(key, value, indent).replace(/\n$/, "");
    const node = pair.value as Node | null;
    const nl = text.indexOf("\n");
    const firstLine = nl === -1 ? text : text.slice(0, nl);
    const blockOld = node?.range && (isMap(node) || isSeq(node)) && !node.flow;
    if (blockOld && nl !== -1 && firstLine.endsWith(":") && !firstLine.startsWith("?")) {
      const start = this.lineStart(node.range?.[0] ?? 0);
      this.edits.push({ start, end: this.valueEnd(pair), text: text.slice(firstLine.length + 1) });
      return;
    }
    const start = (pair.key as Node).range?.[0] ?? 0;
    this.edits.push({ start, end: this.valueEnd(pair), text });
  }

  private patchNode(node: Node, value: unknown): boolean {
    if (isMap(node) && isMapping(value)) return this.patchMap(node, value);
    if (!isSeq(node) || !Array.isArray(value)) return false;
    if (node.flow || node.items.length !== value.length) return pyEquals(node.toJS(this.doc), value);
    return node.items.every((item, i) => {
      const v: unknown = value[i];
      const old: unknown = isScalar(item) || isMap(item) || isSeq(item) ? item.toJS(this.doc) : null;
      if (isMap(item) && isMapping(v) && isMapping(old)) return this.patchMap(item, v);
      if (isSeq(item) && Array.isArray(v)) return this.patchNode(item, v);
      return pyEquals(old, v);
    });
  }

  apply(): string {
    const edits = this.edits.map((e, order) => ({ ...e, order }));
    edits.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.order - b.order);
    let out = "";
    let cursor = 0;
    for (const e of edits) {
      if (e.start < cursor) throw new Error("internal: overlapping YAML edits");
      out += this.text.slice(cursor, e.start) + e.text;
      cursor = e.end;
    }
    return out + this.text.slice(cursor);
  }
}

/**
 * Rewrites YAML text so that it holds `value` while keeping everything that did not change
 * byte-identical (comments, key order, quoting, layout), like DVC's apply_diff + ruamel round
 * trip: changed values are replaced, new keys are appended at the end of their mapping, keys
 * that are gone are removed, and lists whose length changed are rewritten whole. Changed parts
 * are formatted as dumpYaml would. Falls back to a fresh dumpYaml when the old text is not a
 * block mapping. The old text must parse (see parseYamlDocument).
 */
export function updateYamlText(oldText: string, value: Mapping, file: string): string {
  const doc = parseYamlDocument(oldText, file, { keepFloats: true });
  const root = doc.contents;
  if (!isMap(root) || root.flow || root.items.length === 0) return dumpYaml(value);
  const patcher = new Patcher(oldText, doc);
  if (!patcher.patchMap(root, value)) return dumpYaml(value);
  return patcher.apply();
}

/** A block mapping under a top-level key, cut into the text before it, one text block per entry, and after. */
export interface MappingBlocks {
  head: string;
  /** Each entry's lines, from its key's line to the end of its value (newline included). */
  blocks: Array<{ key: string; text: string }>;
  tail: string;
  /** Column of the entries' keys. */
  indent: number;
}

/**
 * Cuts `text` around the entries of the block mapping at top-level key `parentKey`, so that entries can be
 * replaced or appended as text while everything else stays byte-identical (how DVC updates one stage of
 * dvc.lock). Null when the document is not a block mapping whose `parentKey` is a non-empty block mapping.
 */
export function mappingBlocks(text: string, file: string, parentKey: string): MappingBlocks | null {
  const doc = parseYamlDocument(text, file);
  const root = doc.contents;
  if (!isMap(root) || root.flow) return null;
  const parent = (root.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === parentKey);
  const map = parent?.value;
  if (!isMap(map) || map.flow || map.items.length === 0) return null;
  const lineStart = (pos: number): number => text.lastIndexOf("\n", pos - 1) + 1;
  const lineEnd = (pos: number): number => {
    if (pos > 0 && text[pos - 1] === "\n") return pos;
    const nl = text.indexOf("\n", pos);
    return nl === -1 ? text.length : nl + 1;
  };
  const pairs = map.items as Pair[];
  const starts = pairs.map((p) => lineStart((p.key as Node).range?.[0] ?? 0));
  const ends = pairs.map((p) => {
    const v = p.value as Node | null;
    return lineEnd(v?.range ? v.range[1] : ((p.key as Node).range?.[2] ?? 0));
  });
  const blocks: MappingBlocks["blocks"] = [];
  for (let i = 0; i < pairs.length; i++) {
    const k = pairs[i]!.key;
    if (!isScalar(k)) return null;
    // anything between two entries (comments, blank lines) belongs to the entry before it
    const end = i + 1 < pairs.length ? starts[i + 1]! : ends[i]!;
    blocks.push({ key: String(k.value), text: text.slice(starts[i]!, end) });
  }
  const last = ends[ends.length - 1]!;
  const keyCol = ((pairs[0]!.key as Node).range?.[0] ?? 0) - starts[0]!;
  return { head: text.slice(0, starts[0]!), blocks, tail: text.slice(last), indent: keyCol };
}
