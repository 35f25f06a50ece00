// The run records of experiments (git notes under refs/notes/dvx-runs, core/runs/run-notes.ts) to and from a git
// remote, next to the experiment refs. Never a forced update on either side: the remote's notes are fetched into
// a temporary ref, united with ours commit by commit (a commit both sides annotated keeps every record), and the
// union is pushed as a fast-forward of the remote's notes (retried if someone pushed meanwhile) and taken into the
// local notes ref with a compare-and-swap. Only the notes of the experiments being pushed or pulled move.
import { randomBytes } from "node:crypto";
import { GitRemoteError } from "../../git/git-errors.js";
import { readNotes, readNotesAt, writeNotesCommit, type NotesMap } from "../../git/notes.js";
import { deleteRef, resolveRef } from "../../git/refs-store.js";
import { redactUrls, runGit } from "../../git/system-git.js";
import { gitIdents } from "../../git/identity.js";
import { mergeRunNotes, RUN_NOTES_REF, unionNotes } from "../runs/run-notes.js";
import { lastLines } from "./git-remote.js";

type Env = Record<string, string | undefined>;

/** Fetches the remote's notes into a temporary ref: its commit and notes, or null when it has none. */
async function fetchRemoteNotes(
  gitRoot: string,
  remote: string,
  env: Env,
): Promise<{ tip: string; notes: NotesMap } | null> {
  const tmp = `refs/dvx/tmp/notes-${randomBytes(6).toString("hex")}`;
  const r = await runGit(
    gitRoot,
    ["fetch", "--no-tags", "--no-write-fetch-head", remote, `+${RUN_NOTES_REF}:${tmp}`],
    env,
  );
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) return null;
    throw new GitRemoteError("fetch", remote, lastLines(r.stderr));
  }
  try {
    const tip = await resolveRef(gitRoot, tmp);
    return tip === null ? null : { tip, notes: await readNotesAt(gitRoot, tip) };
  } finally {
    await deleteRef(gitRoot, tmp);
  }
}

export interface NotesTransfer {
  /** Experiment commits whose records the other side got (or had changed). */
  notes: number;
}

/** Pushes the records of `commits` to the remote's notes ref, merged with what it holds. */
export async function pushRunNotes(
  gitRoot: string,
  remote: string,
  commits: string[],
  env: Env,
): Promise<NotesTransfer> {
  const local = await readNotes(gitRoot, RUN_NOTES_REF);
  const mine = new Set(commits.filter((c) => local.has(c)));
  if (mine.size === 0) return { notes: 0 };
  const ident = (await gitIdents(gitRoot, env)).committer;
  for (let attempt = 0; ; attempt++) {
    const theirs = await fetchRemoteNotes(gitRoot, remote, env);
    const u = await unionNotes(gitRoot, theirs?.notes ?? new Map(), local, (c) => mine.has(c));
    if (u.changed === 0) return { notes: 0 };
    const commit = await writeNotesCommit(gitRoot, {
      notes: u.notes,
      parents: theirs ? [theirs.tip] : [],
      ident,
      message: `dvx: run records of ${u.changed} experiment${u.changed === 1 ? "" : "s"}\n`,
    });
    const r = await runGit(gitRoot, ["push", "--porcelain", remote, `${commit}:${RUN_NOTES_REF}`], env);
    if (r.code === 0) {
      // ours now holds theirs too (only for these commits, as pull would take them)
      await mergeRunNotes(gitRoot, env, u.notes, (c) => mine.has(c), "dvx: run records merged with the remote\n");
      return { notes: u.changed };
    }
    const raced = /\[rejected\]|fetch first|non-fast-forward|stale info/.test(r.stdout + r.stderr);
    if (!raced || attempt >= 4) throw new GitRemoteError("push", remote, lastLines(r.stderr || r.stdout));
  }
}

/** Takes the remote's records of `commits` into the local notes ref, merged with ours. */
export async function pullRunNotes(
  gitRoot: string,
  remote: string,
  commits: string[],
  env: Env,
): Promise<NotesTransfer> {
  const theirs = await fetchRemoteNotes(gitRoot, remote, env);
  if (!theirs) return { notes: 0 };
  const wanted = new Set(commits);
  const notes = await mergeRunNotes(
    gitRoot,
    env,
    theirs.notes,
    (c) => wanted.has(c),
    `dvx: run records from ${redactUrls(remote)}\n`,
  );
  return { notes };
}
