// Hand-written on purpose: writing git objects is a zlib stream in a fan-out directory, and doing it here keeps
// `dvx exp run` from loading isomorphic-git (~70 ms) on its hot path. Loose objects are written like git writes
// them (temp file, then rename; read-only), and never overwritten.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { isMissing } from "./git-util.js";

export type ObjectType = "blob" | "tree" | "commit";

/** The object id git gives `content` as an object of `type`. */
export function hashObject(type: ObjectType, content: Uint8Array): string {
  return createHash("sha1").update(`${type} ${content.length}\0`).update(content).digest("hex");
}

/** Writes a loose object into `<common>/objects` unless it is there already; returns its id. */
export async function writeObject(common: string, type: ObjectType, content: Uint8Array): Promise<string> {
  const oid = hashObject(type, content);
  const dir = path.join(common, "objects", oid.slice(0, 2));
  const file = path.join(dir, oid.slice(2));
  const exists = await stat(file).then(
    () => true,
    (e: unknown) => (isMissing(e) ? false : Promise.reject(e)),
  );
  if (exists) return oid;
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
  const header = Buffer.from(`${type} ${content.length}\0`);
  try {
    await writeFile(tmp, deflateSync(Buffer.concat([header, content])), { mode: 0o444 });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return oid;
}

export interface TreeItem {
  name: string;
  /** "100644", "100755", "120000", "160000" or "40000". */
  mode: string;
  oid: string;
}

/** The bytes of a tree object: entries in git's order (a directory sorts as if its name ended with '/'). */
export function treeContent(items: readonly TreeItem[]): Buffer {
  const sortKey = (i: TreeItem): Buffer => Buffer.from(i.mode === "40000" ? `${i.name}/` : i.name);
  const sorted = [...items].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
  return Buffer.concat(sorted.flatMap((i) => [Buffer.from(`${i.mode} ${i.name}\0`), Buffer.from(i.oid, "hex")]));
}

export interface CommitFields {
  tree: string;
  parents: string[];
  /** "Name <email> 1700000000 +0100", as `git var GIT_AUTHOR_IDENT` prints it. */
  author: string;
  committer: string;
  message: string;
}

export function commitContent(c: CommitFields): Buffer {
  const lines = [
    `tree ${c.tree}`,
    ...c.parents.map((p) => `parent ${p}`),
    `author ${c.author}`,
    `committer ${c.committer}`,
  ];
  return Buffer.from(`${lines.join("\n")}\n\n${c.message}`);
}
