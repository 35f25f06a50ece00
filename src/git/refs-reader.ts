// Reading git refs from the git directory on node:fs: loose ref files (symbolic refs followed) and packed-refs,
// as git resolves them. Read-only, so that rev-parse and friends need not load isomorphic-git.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { errorCode, isMissing } from "./git-util.js";

const OID = /^[0-9a-f]{40}$/;

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    if (isMissing(e) || errorCode(e) === "EISDIR" || errorCode(e) === "ENOTDIR") return null;
    throw e;
  }
}

/** packed-refs: full name → oid (peeled `^` lines are skipped: tags are peeled by reading the tag object). */
function packedRefs(gitdir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (readText(path.join(gitdir, "packed-refs")) ?? "").split("\n")) {
    if (line.startsWith("#") || line.startsWith("^")) continue;
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line.trim());
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** The oid `ref` ("HEAD", "refs/heads/main") points to, following symbolic refs; null when it does not exist. */
export function resolveRefIn(gitdir: string, ref: string): string | null {
  let name = ref;
  for (let depth = 0; depth < 10; depth++) {
    if (name.includes("..") || path.isAbsolute(name)) return null;
    const text = readText(path.join(gitdir, ...name.split("/")))?.trim();
    if (text === undefined || text === "") {
      const packed = name.startsWith("refs/") ? packedRefs(gitdir).get(name) : undefined;
      return packed ?? null;
    }
    if (text.startsWith("ref:")) {
      name = text.slice(4).trim();
      continue;
    }
    return OID.test(text) ? text : null;
  }
  return null;
}

/** The branch HEAD is on ("main"), or null when HEAD is detached. */
export function currentBranchIn(gitdir: string): string | null {
  const text = readText(path.join(gitdir, "HEAD"))?.trim() ?? "";
  const m = /^ref:\s*refs\/heads\/(.+)$/.exec(text);
  return m ? m[1]! : null;
}

/** Full names of every ref under refs/ (loose and packed), sorted. */
export function listRefNamesIn(gitdir: string): string[] {
  const names = new Set(packedRefs(gitdir).keys());
  const walk = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}${e.name}/`);
      else if (e.isFile() && !e.name.endsWith(".lock")) names.add(`${prefix}${e.name}`);
    }
  };
  walk(path.join(gitdir, "refs"), "refs/");
  return [...names].sort();
}
