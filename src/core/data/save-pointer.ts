// Saves one workspace path as the output of its .dvc pointer file: hash (+ store), then write the
// pointer file only when something changed, then the .gitignore entry. Shared by add and commit.
import { join, posix } from "node:path";
import { BadTargetError } from "../../errors.js";
import { errCode, writeFileAtomic } from "../../fsx/atomic.js";
import { addIgnoreEntry } from "../../tracking/gitignore.js";
import { serializeNewPointerFile, updatePointerFileText, type PointerOut } from "../../tracking/pointer-file.js";
import type { PointerRecord } from "./collect.js";
import { relinkOutput } from "./relink.js";
import type { Repo } from "../repo.js";
import { requirePath, type HashedPath } from "./workspace-hash.js";

export interface SavedItem {
  path: string;
  pointerFile: string;
  hash: string;
  size: number;
  nfiles?: number;
  /** False when the pointer file already recorded this content (nothing written). */
  changed: boolean;
}

async function hashTarget(repo: Repo, rel: string, prev: PointerOut | undefined, store: boolean): Promise<HashedPath> {
  const ctx = repo.hashContext();
  // an unchanged DVC 2 output stays legacy; a changed one becomes DVC 3 (docs/formats.md §2.5)
  if (prev?.hash?.name === "md5-dos2unix") {
    const legacy = await requirePath(ctx, rel, { name: "md5-dos2unix", store: false });
    if (legacy.hash.value === prev.hash.value) {
      return store ? requirePath(ctx, rel, { name: "md5-dos2unix", store: true }) : legacy;
    }
  }
  return requirePath(ctx, rel, { name: "md5", store });
}

export async function savePointerOutput(
  repo: Repo,
  rel: string,
  pointerFile: string,
  prevRec: PointerRecord | undefined,
  opts: { store: boolean; desc?: string },
): Promise<{ item: SavedItem; touched: string[] }> {
  const prev = prevRec?.pf.outs[0];
  let h: HashedPath;
  try {
    h = await hashTarget(repo, rel, prev, opts.store);
  } catch (err) {
    if (errCode(err) === "EACCES")
      throw new BadTargetError(
        rel,
        "it cannot be read (permission denied)",
        "fix its permissions (chmod u+r) and run again",
      );
    throw err;
  }
  const out: PointerOut = {
    path: prev?.path ?? posix.basename(rel),
    hash: h.hash,
    size: h.size,
    ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}),
    ...(h.isexec ? { isexec: true } : {}),
    cache: prev?.cache ?? true,
    push: prev?.push ?? true,
    ...(prev?.persist ? { persist: true } : {}),
    ...(prev?.remote !== undefined ? { remote: prev.remote } : {}),
    extra: { ...(prev?.extra ?? {}), ...(opts.desc !== undefined ? { desc: opts.desc } : {}) },
  };
  const same =
    prev !== undefined &&
    prevRec !== undefined &&
    prev.hash?.value === h.hash.value &&
    prev.hash.name === h.hash.name &&
    prev.size === h.size &&
    prev.nfiles === h.nfiles &&
    Boolean(prev.isexec) === Boolean(h.isexec) &&
    opts.desc === undefined &&
    prevRec.pf.outs.length === 1 &&
    prevRec.pf.md5 === undefined &&
    prevRec.pf.wdir === undefined;
  const touched: string[] = [];
  if (!same) {
    const text = prevRec
      ? updatePointerFileText(prevRec.text, [out], pointerFile)
      : serializeNewPointerFile([out], opts.desc !== undefined ? {} : {});
    await writeFileAtomic(join(repo.root, pointerFile), text);
    touched.push(pointerFile);
  }
  if (opts.store) await relinkOutput(repo, rel, h);
  const gi = await addIgnoreEntry(repo.root, rel, async () => {
    if (!repo.scm) return true; // no git: no .gitignore entries
    const { isIgnored } = await import("../../git/git.js");
    return isIgnored(repo.root, rel);
  });
  if (gi) touched.push(gi);
  const item: SavedItem = {
    path: rel,
    pointerFile,
    hash: h.hash.value,
    size: h.size,
    ...(h.nfiles !== undefined ? { nfiles: h.nfiles } : {}),
    changed: !same,
  };
  return { item, touched };
}
