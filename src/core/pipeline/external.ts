// Hashes a local dependency outside the repository (`../shared/data`, `/data/raw.csv`): DVC records it like any
// other dep. No stat cache here: such deps are rare and usually small.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { errCode } from "../../fsx/atomic.js";
import { hashFileStream } from "../../odb/hash.js";
import { buildTree } from "../../odb/tree.js";
import type { HashName, TreeEntry } from "../../odb/types.js";
import type { HashedPath } from "../data/workspace-hash.js";

async function walk(abs: string, rel: string, out: Array<{ abs: string; rel: string }>): Promise<void> {
  for (const e of await readdir(abs, { withFileTypes: true })) {
    const childAbs = join(abs, e.name);
    const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) await walk(childAbs, childRel, out);
    else if (e.isFile() || (e.isSymbolicLink() && (await stat(childAbs)).isFile()))
      out.push({ abs: childAbs, rel: childRel });
  }
}

/** The hash of a file or directory at an absolute path; null when it does not exist. */
export async function hashExternalPath(abs: string, name: HashName): Promise<HashedPath | null> {
  let st;
  try {
    st = await stat(abs);
  } catch (err) {
    if (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR") return null;
    throw err;
  }
  if (!st.isDirectory()) {
    const h = await hashFileStream(abs, name);
    return { hash: { name, value: h.value }, size: h.size, isDir: false };
  }
  const files: Array<{ abs: string; rel: string }> = [];
  await walk(abs, "", files);
  const entries: TreeEntry[] = [];
  for (const f of files) {
    const h = await hashFileStream(f.abs, name);
    entries.push({ relpath: f.rel, md5: h.value, size: h.size });
  }
  const tree = buildTree(entries);
  return { hash: { name, value: tree.oid }, size: tree.size, isDir: true, nfiles: tree.nfiles };
}
