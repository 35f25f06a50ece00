// Row-level changes of a text data file (CSV, TSV, JSON lines, plain text) between two versions: how many rows were
// added and removed, and a few of them as a sample. The only importer of the `diff` package (jsdiff, the standard
// JavaScript implementation of Myers' diff): its array diff over the rows that both versions hold (rows on one side
// only are changes in any diff, and are set aside first, as GNU diff does), after the common head and tail. A diff
// past MAX_EDITS or TIMEOUT_MS (rows moved around in bulk) is counted as two multisets of rows instead.
import { diffArrays } from "diff";

export type TextKind = "csv" | "tsv" | "jsonl" | "text";

export interface SampleLine {
  op: "+" | "-";
  text: string;
}

export interface RowDiff {
  /** "rows" for tabular and JSON-lines data (a CSV/TSV header is not a row), "lines" for other text. */
  unit: "rows" | "lines";
  added: number;
  removed: number;
  /** A CSV/TSV whose header line differs. */
  headerChanged: boolean;
  /** Counted as multisets (the diff was too large to compute): moved rows are not counted as changes. */
  orderIgnored: boolean;
  /** The header (CSV/TSV) for context, and the first changed rows in file order. */
  sample: { header?: string; lines: SampleLine[]; more: boolean };
}

export interface RowDiffOptions {
  /** Changed rows in the sample. */
  sampleRows: number;
  /** Characters kept of each sampled row. */
  maxLineChars?: number;
  /** Bounds on the exact diff: edit distance and time. */
  maxEdits?: number;
  timeoutMs?: number;
}

const MAX_EDITS = 1000;
const TIMEOUT_MS = 1000;

const EXT_KIND: Readonly<Record<string, TextKind>> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  jsonl: "jsonl",
  ndjson: "jsonl",
};

/** The kind of a text file, by its extension (anything else that decodes as text is plain text). */
export function textKindOf(path: string): TextKind {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  return EXT_KIND[ext] ?? "text";
}

/** Extensions of formats that are binary whatever their bytes (no need to fetch them to know). */
const BINARY_EXT = new Set(
  (
    "parquet pq feather arrow orc avro pkl pickle joblib npy npz h5 hdf5 hdf pt pth ckpt onnx safetensors tflite pb " +
    "bin db sqlite sqlite3 zip gz tgz bz2 xz zst 7z tar rar png jpg jpeg gif bmp tif tiff webp ico pdf mp3 wav " +
    "flac ogg mp4 avi mov mkv webm xls xlsx doc docx"
  ).split(" "),
);

export const isBinaryExtension = (path: string): boolean =>
  BINARY_EXT.has(/\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "");

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The text of `bytes`, or null when they are binary: a NUL byte in the first 8 KiB, or not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.subarray(0, 8192).includes(0)) return null;
  try {
    return UTF8.decode(bytes);
  } catch {
    // TypeError: not UTF-8
    return null;
  }
}

/** Lines without their line ends ("\n" or "\r\n"); a final line end does not start another line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Counts of two row lists compared as multisets, with the first rows only one side has. */
function multisetDiff(
  a: string[],
  b: string[],
  sampleRows: number,
): { added: number; removed: number; sample: SampleLine[] } {
  const counts = new Map<string, number>();
  for (const r of a) counts.set(r, (counts.get(r) ?? 0) + 1);
  const added: string[] = [];
  for (const r of b) {
    const n = counts.get(r) ?? 0;
    if (n > 0) counts.set(r, n - 1);
    else added.push(r);
  }
  const removed: string[] = [];
  for (const r of a) {
    const n = counts.get(r) ?? 0;
    if (n > 0) {
      counts.set(r, n - 1);
      removed.push(r);
    }
  }
  const n = shares(sampleRows, removed.length, added.length);
  const sample = [
    ...removed.slice(0, n.removed).map((text): SampleLine => ({ op: "-", text })),
    ...added.slice(0, n.added).map((text): SampleLine => ({ op: "+", text })),
  ];
  return { added: added.length, removed: removed.length, sample };
}

/** How many removed and added rows a sample of `n` shows: half each, or more of one kind when the other has fewer. */
function shares(n: number, removed: number, added: number): { removed: number; added: number } {
  const r = Math.min(removed, Math.max(n - added, Math.ceil(n / 2)));
  return { removed: r, added: Math.min(added, n - r) };
}

type Hunk = { op: "+" | "-"; rows: string[] };

/**
 * Which rows of `a` and `b` a longest common subsequence keeps, or undefined past the diff's bounds. Rows found on
 * one side only are changes in every diff, so they are set aside before the diff (as GNU diff discards them): the
 * answer is the same, and a file whose rows all changed, or that changed a few rows in place, diffs in linear time.
 */
function keptRows(a: string[], b: string[], o: RowDiffOptions): { a: Uint8Array; b: Uint8Array } | undefined {
  const kept = { a: new Uint8Array(a.length), b: new Uint8Array(b.length) };
  const inA = new Set(a);
  const inB = new Set(b);
  const ia: number[] = [];
  const ib: number[] = [];
  a.forEach((r, i) => inB.has(r) && ia.push(i));
  b.forEach((r, i) => inA.has(r) && ib.push(i));
  // rows kept at both ends need no diff either
  let head = 0;
  while (head < ia.length && head < ib.length && a[ia[head]!] === b[ib[head]!]) {
    kept.a[ia[head]!] = 1;
    kept.b[ib[head]!] = 1;
    head++;
  }
  let tail = 0;
  while (
    tail < ia.length - head &&
    tail < ib.length - head &&
    a[ia[ia.length - 1 - tail]!] === b[ib[ib.length - 1 - tail]!]
  ) {
    kept.a[ia[ia.length - 1 - tail]!] = 1;
    kept.b[ib[ib.length - 1 - tail]!] = 1;
    tail++;
  }
  const ma = ia.slice(head, ia.length - tail);
  const mb = ib.slice(head, ib.length - tail);
  if (ma.length === 0 || mb.length === 0) return kept;
  const changes = diffArrays(
    ma.map((i) => a[i]!),
    mb.map((i) => b[i]!),
    { maxEditLength: o.maxEdits ?? MAX_EDITS, timeout: o.timeoutMs ?? TIMEOUT_MS },
  );
  if (changes === undefined) return undefined;
  let x = 0;
  let y = 0;
  for (const c of changes) {
    if (c.added) y += c.count;
    else if (c.removed) x += c.count;
    else
      for (let k = 0; k < c.count; k++) {
        kept.a[ma[x++]!] = 1;
        kept.b[mb[y++]!] = 1;
      }
  }
  return kept;
}

/** The changes as hunks of removed and added rows in file order, or undefined past the diff's bounds. */
function hunks(a: string[], b: string[], o: RowDiffOptions): Hunk[] | undefined {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const kept = keptRows(midA, midB, o);
  if (kept === undefined) return undefined;
  // kept rows pair up in order: walk both sides, emitting what lies between consecutive pairs
  const out: Hunk[] = [];
  const emit = (op: Hunk["op"], row: string): void => {
    const last = out[out.length - 1];
    if (last?.op === op) last.rows.push(row);
    else out.push({ op, rows: [row] });
  };
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    while (i < midA.length && kept.a[i] === 0) emit("-", midA[i++]!);
    while (j < midB.length && kept.b[j] === 0) emit("+", midB[j++]!);
    i++;
    j++;
  }
  return out;
}

/** Rows added and removed by the exact diff with a sample in file order, or undefined past the diff's bounds. */
function exactDiff(
  a: string[],
  b: string[],
  o: RowDiffOptions,
): { added: number; removed: number; sample: SampleLine[] } | undefined {
  const hs = hunks(a, b, o);
  if (hs === undefined) return undefined;
  const added = hs.reduce((n, h) => n + (h.op === "+" ? h.rows.length : 0), 0);
  const removed = hs.reduce((n, h) => n + (h.op === "-" ? h.rows.length : 0), 0);
  const left = shares(o.sampleRows, removed, added);
  const sample: SampleLine[] = [];
  for (const h of hs) {
    const take = h.op === "+" ? Math.min(left.added, h.rows.length) : Math.min(left.removed, h.rows.length);
    for (const text of h.rows.slice(0, take)) sample.push({ op: h.op, text });
    if (h.op === "+") left.added -= take;
    else left.removed -= take;
  }
  return { added, removed, sample };
}

/** The row changes from `oldText` to `newText` (null: the file is absent on that side). */
export function rowDiff(oldText: string | null, newText: string | null, kind: TextKind, o: RowDiffOptions): RowDiff {
  const tabular = kind === "csv" || kind === "tsv";
  let a = oldText === null ? [] : splitLines(oldText);
  let b = newText === null ? [] : splitLines(newText);
  let header: string | undefined;
  let headerChanged = false;
  if (tabular) {
    const [ha, hb] = [a[0], b[0]];
    header = hb ?? ha;
    headerChanged = oldText !== null && newText !== null && ha !== hb;
    a = a.slice(1);
    b = b.slice(1);
  }
  const exact = exactDiff(a, b, o);
  const counted = exact ?? multisetDiff(a, b, o.sampleRows);
  const max = o.maxLineChars ?? 200;
  return {
    unit: kind === "text" ? "lines" : "rows",
    added: counted.added,
    removed: counted.removed,
    headerChanged,
    orderIgnored: exact === undefined,
    sample: {
      ...(header !== undefined ? { header: clip(header, max) } : {}),
      lines: counted.sample.map((l) => ({ op: l.op, text: clip(l.text, max) })),
      more: counted.added + counted.removed > counted.sample.length,
    },
  };
}
