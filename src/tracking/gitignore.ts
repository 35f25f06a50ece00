// The .gitignore entry DVC writes for each cached output: "/<basename>" in the output's parent dir
// (docs/formats.md §2.7).
import { appendFileSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { errCode, mapWriteError, removeFile, writeFileAtomic } from "../fsx/atomic.js";

/** "/name" with gitignore metacharacters escaped as DVC does ([ ] ! * # ? get a backslash). */
export function ignoreLine(outRel: string): string {
  return "/" + posix.basename(outRel).replace(/([[\]!*#?])/g, "\\$1");
}

const gitignoreOf = (outRel: string): string => {
  const dir = posix.dirname(outRel);
  return dir === "." ? ".gitignore" : `${dir}/.gitignore`;
};

// read synchronously: a small file, and a pipeline run reads it once per output
function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if (errCode(err) === "ENOENT") return null;
    throw err;
  }
}

/**
 * Appends the entry unless an identical line exists or git already ignores the path.
 * Returns the repo-relative .gitignore path when the file changed.
 */
export async function addIgnoreEntry(
  root: string,
  outRel: string,
  alreadyIgnored: () => Promise<boolean>,
): Promise<string | null> {
  const rel = gitignoreOf(outRel);
  const abs = join(root, rel);
  const line = ignoreLine(outRel);
  const text = readText(abs);
  if (text !== null && text.split(/\r?\n/).includes(line)) return null;
  if (await alreadyIgnored()) return null;
  if (text === null) {
    await writeFileAtomic(abs, `${line}\n`);
    return rel;
  }
  // appended in place, in one write, as DVC does: the file is the user's, and a rewrite costs a create, a chmod
  // and a rename per output (a pipeline run adds one entry per stage)
  try {
    appendFileSync(abs, `${text === "" || text.endsWith("\n") ? "" : "\n"}${line}\n`);
  } catch (err) {
    throw mapWriteError(err, abs);
  }
  return rel;
}

/** Removes exactly that line; deletes the .gitignore when it becomes empty. Returns its path if changed. */
export async function removeIgnoreEntry(root: string, outRel: string): Promise<string | null> {
  const rel = gitignoreOf(outRel);
  const abs = join(root, rel);
  const text = readText(abs);
  if (text === null) return null;
  const line = ignoreLine(outRel);
  const lines = text.split("\n");
  const kept = lines.filter((l) => l.replace(/\r$/, "") !== line);
  if (kept.length === lines.length) return null;
  const out = kept.join("\n");
  if (out.trim() === "") await removeFile(abs);
  else await writeFileAtomic(abs, out);
  return rel;
}
