// Git notes (git-notes(1)) read and written directly: a notes ref points to a commit whose tree maps the id of each
// annotated object to a blob, named `<oid>` or fanned out as `<oid[0:2]>/<oid[2:]>` (git reads any mix; dvx writes
// a flat tree, which git reads and re-fans when it writes). Reads go through the common object directory, so they
// work from linked worktrees (queue workers) too. Changes are compare-and-swap on the notes ref, retried when
// another process moved it meanwhile: two writers never lose each other's notes.
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { gitDirs } from "./git-dirs.js";
import { RefChangedError, RefLockedError } from "./git-errors.js";
import { parseTreeObject } from "./object-parse.js";
import { CorruptGitObjectError, ObjectStore } from "./object-store.js";
import { commitContent, treeContent, writeObject } from "./objects.js";
import { resolveRef, updateRef } from "./refs-store.js";

const OID = /^[0-9a-f]{40}$/;

/** Annotated object id → note blob id. */
export type NotesMap = Map<string, string>;

async function store(dir: string): Promise<ObjectStore> {
  return new ObjectStore((await gitDirs(dir)).common);
}

function treeOf(objects: ObjectStore, oid: string): Map<string, { oid: string; type: string }> {
  const obj = objects.read(oid);
  if (obj === null) throw new CorruptGitObjectError(oid, "notes object is missing");
  if (obj.type === "commit") {
    const tree = /^tree ([0-9a-f]{40})/.exec(obj.data.toString("latin1"))?.[1];
    if (tree === undefined) throw new CorruptGitObjectError(oid, "commit without a tree");
    return treeOf(objects, tree);
  }
  if (obj.type !== "tree") throw new CorruptGitObjectError(oid, `a notes ref points to a ${obj.type}`);
  return parseTreeObject(oid, obj.data);
}

/** The notes of commit (or tree) `tip`, fan-out directories flattened. */
export async function readNotesAt(dir: string, tip: string): Promise<NotesMap> {
  const objects = await store(dir);
  const out: NotesMap = new Map();
  const walk = (oid: string, prefix: string): void => {
    for (const [name, e] of treeOf(objects, oid)) {
      const key = prefix + name;
      if (e.type === "tree" && key.length < 40) walk(e.oid, key);
      else if (e.type === "blob" && OID.test(key)) out.set(key, e.oid);
    }
  };
  walk(tip, "");
  objects.close();
  return out;
}

/** The notes under `ref` (empty when the ref does not exist). */
export async function readNotes(dir: string, ref: string): Promise<NotesMap> {
  const tip = await resolveRef(dir, ref);
  return tip === null ? new Map() : readNotesAt(dir, tip);
}

/** The bytes of note blob `oid`, or null when it is missing. */
export async function readNoteBlob(dir: string, oid: string): Promise<Buffer | null> {
  return (await readNoteBlobs(dir, [oid])).get(oid) ?? null;
}

/** The bytes of many note blobs, through one object store (missing ones are left out). */
export async function readNoteBlobs(dir: string, oids: Iterable<string>): Promise<Map<string, Buffer>> {
  const objects = await store(dir);
  const out = new Map<string, Buffer>();
  try {
    for (const oid of oids) {
      const obj = objects.read(oid);
      if (obj?.type === "blob") out.set(oid, obj.data);
    }
  } finally {
    objects.close();
  }
  return out;
}

/**
 * The committer of commit `oid` as git writes it ("Name <email> <time> <zone>"), its time replaced by `now`:
 * the identity of a note written on that commit without asking git again. Null when it is not a commit here.
 */
export async function committerNow(dir: string, oid: string, now = new Date()): Promise<string | null> {
  const objects = await store(dir);
  const obj = objects.read(oid);
  objects.close();
  if (obj?.type !== "commit") return null;
  const m = /^committer (.*<[^>]*>) -?\d+ ([-+]\d{4})$/m.exec(obj.data.toString("utf8"));
  return m ? `${m[1]} ${Math.floor(now.getTime() / 1000)} ${m[2]}` : null;
}

export async function writeNoteBlob(dir: string, content: string | Buffer): Promise<string> {
  return writeObject((await gitDirs(dir)).common, "blob", Buffer.from(content));
}

export interface NotesCommit {
  notes: NotesMap;
  parents: string[];
  /** "Name <email> 1700000000 +0100" */
  ident: string;
  message: string;
}

/** Writes the tree and commit of a notes state; returns the commit id. */
export async function writeNotesCommit(dir: string, c: NotesCommit): Promise<string> {
  const { common } = await gitDirs(dir);
  const items = [...c.notes].map(([name, oid]) => ({ name, mode: "100644", oid }));
  const tree = await writeObject(common, "tree", treeContent(items));
  const body = { tree, parents: c.parents, author: c.ident, committer: c.ident, message: c.message };
  return writeObject(common, "commit", commitContent(body));
}

export interface NotesChange {
  ident: string;
  message: string;
  /** Parents besides the ref's current commit (e.g. the other side of a merge). */
  extraParents?: string[];
}

/**
 * Changes the notes under `ref`: `change` gets the current notes and returns the new ones (null: nothing to do).
 * Compare-and-swap on the ref; when another writer moved it, `change` runs again on its result (a few times).
 * Returns the ref's commit afterwards (null when there are no notes and nothing was written).
 */
export async function updateNotes(
  dir: string,
  ref: string,
  change: (current: NotesMap) => Promise<NotesMap | null>,
  opts: NotesChange,
): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    const tip = await resolveRef(dir, ref);
    const next = await change(tip === null ? new Map() : await readNotesAt(dir, tip));
    if (next === null) return tip;
    const parents = [...(tip === null ? [] : [tip]), ...(opts.extraParents ?? [])];
    const commit = await writeNotesCommit(dir, { notes: next, parents, ident: opts.ident, message: opts.message });
    try {
      await updateRef(dir, ref, commit, tip);
      return commit;
    } catch (e) {
      if (!(e instanceof RefChangedError || e instanceof RefLockedError) || attempt >= 20) throw e;
      await sleep(5 + randomInt(5 + attempt * 10)); // another writer: take its notes and try again
    }
  }
}
