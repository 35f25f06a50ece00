// Directory objects: the `.dir` manifest JSON exactly as DVC writes and hashes it (docs/formats.md §5).
import { AppError, EXIT, UnsafePathError } from "../errors.js";
import { isSafeRelPath } from "../fsx/paths.js";
import { compareCodePoints as cmpCodePoints, pyJsonString } from "../util/py-json.js";
import { md5Hex } from "./hash.js";
import type { TreeEntry } from "./types.js";

/** Manifest bytes: entries sorted by relpath (code points), `{"md5": …, "relpath": …}`, ", " separators. */
export function serializeTree(entries: TreeEntry[]): Buffer {
  let isSorted = true;
  for (let i = 1; i < entries.length && isSorted; i++)
    isSorted = cmpCodePoints(entries[i - 1]!.relpath, entries[i]!.relpath) < 0;
  const sorted = isSorted ? entries : [...entries].sort((a, b) => cmpCodePoints(a.relpath, b.relpath));
  const parts = sorted.map((e) => `{"md5": ${pyJsonString(e.md5)}, "relpath": ${pyJsonString(e.relpath)}}`);
  return Buffer.from(`[${parts.join(", ")}]`, "utf8");
}

export interface BuiltTree {
  oid: string; // "<md5>.dir"
  bytes: Buffer;
  entries: TreeEntry[];
  size: number;
  nfiles: number;
}

export function buildTree(entries: TreeEntry[]): BuiltTree {
  const bytes = serializeTree(entries);
  const size = entries.reduce((n, e) => n + (e.size ?? 0), 0);
  return { oid: `${md5Hex(bytes)}.dir`, bytes, entries, size, nfiles: entries.length };
}

const HEX32 = /^[0-9a-f]{32}$/;

export class ManifestError extends AppError {
  constructor(source: string, reason: string) {
    super("BAD_MANIFEST", EXIT.integrity, `directory manifest '${source}' is corrupt: ${reason}`, {
      hint: 'remove the object from the cache and fetch it again ("dvx fetch")',
      details: { source, reason },
    });
  }
}

/** Parses a stored manifest; rejects anything that is not a list of {md5, relpath} with safe paths. */
export function parseTree(bytes: Buffer | string, source: string): TreeEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(typeof bytes === "string" ? bytes : bytes.toString("utf8"));
  } catch {
    throw new ManifestError(source, "not JSON");
  }
  if (!Array.isArray(data)) throw new ManifestError(source, "not a list");
  return data.map((item: unknown) => {
    const e = item as { md5?: unknown; relpath?: unknown };
    if (typeof e?.relpath !== "string" || !isSafeRelPath(e.relpath))
      throw new UnsafePathError(String(e?.relpath), source);
    if (typeof e.md5 !== "string" || !HEX32.test(e.md5)) throw new ManifestError(source, `bad md5 for '${e.relpath}'`);
    return { relpath: e.relpath, md5: e.md5 };
  });
}
