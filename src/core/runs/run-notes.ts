// Run records of experiments travel with them as git notes on the experiment commit, under dvx's own notes ref
// `refs/notes/dvx-runs` (`git notes --ref dvx-runs show <commit>` prints one; DVC never reads notes). A note holds
// one record as a JSON object, or, when two sides recorded the same commit, a JSON array of records (by id, oldest
// first). Merging two notes never drops a record.
import { gitIdents } from "../../git/identity.js";
import {
  committerNow,
  readNoteBlob,
  readNoteBlobs,
  readNotes,
  updateNotes,
  writeNoteBlob,
  type NotesMap,
} from "../../git/notes.js";
import { parseRecord, type RunRecord } from "./record.js";

export const RUN_NOTES_REF = "refs/notes/dvx-runs";

type Env = Record<string, string | undefined>;

/** The records a note's text holds (an object, or an array of them); foreign content gives none. */
export function noteRecords(text: string): RunRecord[] {
  const t = text.trim();
  if (!t.startsWith("[")) {
    const one = parseRecord(t);
    return one ? [one] : [];
  }
  let list: unknown;
  try {
    list = JSON.parse(t);
  } catch {
    return []; // SyntaxError: not a record list
  }
  return Array.isArray(list) ? list.flatMap((v) => parseRecord(JSON.stringify(v)) ?? []) : [];
}

export function noteText(records: RunRecord[]): string {
  const sorted = [...records].sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : 0));
  return `${JSON.stringify(sorted.length === 1 ? sorted[0] : sorted, null, 2)}\n`;
}

/** Records of both lists, one per id (the first list's copy wins). */
export function unionRecords(a: RunRecord[], b: RunRecord[]): RunRecord[] {
  const seen = new Set(a.map((r) => r.id));
  return [...a, ...b.filter((r) => !seen.has(r.id))];
}

async function blobRecords(dir: string, blob: string | undefined): Promise<RunRecord[]> {
  if (blob === undefined) return [];
  const data = await readNoteBlob(dir, blob);
  return data ? noteRecords(data.toString("utf8")) : [];
}

/** The note blob holding the records of both notes (one of them when it already holds all). */
async function mergedBlob(dir: string, ours: string | undefined, theirs: string): Promise<string> {
  if (ours === undefined || ours === theirs) return theirs;
  const a = await blobRecords(dir, ours);
  const all = unionRecords(a, await blobRecords(dir, theirs));
  return all.length === a.length ? ours : writeNoteBlob(dir, noteText(all));
}

const committer = async (dir: string, env: Env): Promise<string> => (await gitIdents(dir, env)).committer;

/** Adds `record` to the note of `commit` (other records of that commit are kept); returns the notes commit. */
export async function addRunNote(dir: string, env: Env, commit: string, record: RunRecord): Promise<string> {
  const blob = await writeNoteBlob(dir, noteText([record]));
  // whoever committed the experiment (just now) writes its note: no `git var` processes on the hot path
  const ident = (await committerNow(dir, commit)) ?? (await committer(dir, env));
  const message = `dvx: run record ${record.id} (${record.name})\n`;
  const tip = await updateNotes(
    dir,
    RUN_NOTES_REF,
    async (current) => new Map(current).set(commit, await mergedBlob(dir, current.get(commit), blob)),
    { ident, message },
  );
  return tip!;
}

/**
 * Takes the notes of `theirs` whose commit `keep` accepts into the local notes ref, merged with the local ones;
 * returns how many local notes changed.
 */
export async function mergeRunNotes(
  dir: string,
  env: Env,
  theirs: NotesMap,
  keep: (commit: string) => boolean,
  message: string,
): Promise<number> {
  if (![...theirs.keys()].some(keep)) return 0;
  const ident = await committer(dir, env);
  let changed = 0;
  await updateNotes(
    dir,
    RUN_NOTES_REF,
    async (current) => {
      const u = await unionNotes(dir, current, theirs, keep);
      changed = u.changed;
      return u.changed === 0 ? null : u.notes;
    },
    { ident, message },
  );
  return changed;
}

/** Merges two notes maps for the commits `keep` accepts: `base` plus what `add` has that `base` lacks. */
export async function unionNotes(
  dir: string,
  base: NotesMap,
  add: NotesMap,
  keep: (commit: string) => boolean,
): Promise<{ notes: NotesMap; changed: number }> {
  const notes = new Map(base);
  let changed = 0;
  for (const [c, blob] of add) {
    if (!keep(c)) continue;
    const merged = await mergedBlob(dir, base.get(c), blob);
    if (merged === base.get(c)) continue;
    notes.set(c, merged);
    changed++;
  }
  return { notes, changed };
}

export interface NotedRun {
  commit: string;
  record: RunRecord;
}

/** Every record in the local notes, with the commit it annotates. */
export async function readRunNotes(dir: string): Promise<NotedRun[]> {
  const notes = await readNotes(dir, RUN_NOTES_REF);
  const blobs = await readNoteBlobs(dir, new Set(notes.values()));
  const out: NotedRun[] = [];
  for (const [commit, blob] of notes)
    for (const record of noteRecords(blobs.get(blob)?.toString("utf8") ?? "")) out.push({ commit, record });
  return out;
}
