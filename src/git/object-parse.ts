// Parsing the bodies of git commit, tag and tree objects (as ObjectStore returns them).
import type { GitObjectInfo, TreeEntry } from "./git-types.js";
import { CorruptGitObjectError, type RawObject } from "./object-store.js";

/** Type and links of an object: tree/parents/time of a commit, the target of a tag. */
export function objectInfoOf(oid: string, obj: RawObject): GitObjectInfo {
  if (obj.type === "commit" || obj.type === "tag") {
    const end = obj.data.indexOf("\n\n");
    const head = obj.data.toString("utf8", 0, end === -1 ? obj.data.length : end);
    let tree: string | undefined;
    let target: string | undefined;
    let time = 0;
    const parents: string[] = [];
    for (const line of head.split("\n")) {
      const sp = line.indexOf(" ");
      const key = line.slice(0, sp);
      const value = line.slice(sp + 1);
      if (key === "tree") tree = value;
      else if (key === "parent") parents.push(value);
      else if (key === "object") target = value;
      else if (key === "committer") time = Number(/ (-?\d+) [-+]\d{4}$/.exec(value)?.[1] ?? 0);
    }
    if (obj.type === "tag") {
      if (target === undefined) throw new CorruptGitObjectError(oid, "tag without an object line");
      return { type: "tag", oid, target };
    }
    if (tree === undefined) throw new CorruptGitObjectError(oid, "commit without a tree line");
    return { type: "commit", oid, tree, parents, time };
  }
  return { type: obj.type, oid };
}

/** Tree entries by name; modes as isomorphic-git reports them ("040000" for trees). */
export function parseTreeObject(oid: string, data: Buffer): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    const nul = data.indexOf(0, sp);
    if (sp === -1 || nul === -1 || nul + 21 > data.length) throw new CorruptGitObjectError(oid, "truncated tree");
    const rawMode = data.toString("latin1", p, sp);
    const mode = rawMode.padStart(6, "0");
    const name = data.toString("utf8", sp + 1, nul);
    const entryOid = data.toString("hex", nul + 1, nul + 21);
    const type = mode === "040000" ? "tree" : mode === "160000" ? "commit" : "blob";
    out.set(name, { mode, oid: entryOid, type });
    p = nul + 21;
  }
  return out;
}
