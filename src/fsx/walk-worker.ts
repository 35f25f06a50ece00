// Worker thread body for walkFilesParallel (walk.ts): lstats the files of some subtrees of a directory output
// while the main thread walks the others; on two cores that halves the ~100k lstat calls of a big `status`.
// Only used when no .dvcignore rule can apply below the walked directory, so there is nothing to match here.
import { readdirSync } from "node:fs";
import { fastLstat } from "./fast-stat.js";
import { parentPort, workerData } from "node:worker_threads";

export interface WalkJob {
  /** Absolute path of the walked directory. */
  base: string;
  /** Subtrees to walk, relative to `base`. */
  dirs: string[];
}

export type WalkReply =
  | {
      kind: "done";
      /** Relative paths of the regular files, NUL-separated (one string is far cheaper to pass than an array). */
      rels: string;
      /** ino, size, mtimeMs, mode per file. */
      stats: Float64Array;
      /** Symlinks found (relative paths): the main thread follows them with its repo checks. */
      links: string[];
      /** Relative path of a nested .dvcignore (an error the main thread reports as its own walk would). */
      dvcignore?: string;
    }
  | { kind: "error"; code?: string; message: string; path?: string };

const SKIP = new Set([".git", ".hg", ".dvc"]);

function run(job: WalkJob): WalkReply {
  const rels: string[] = [];
  const stats: number[] = [];
  const links: string[] = [];
  let dvcignore: string | undefined;
  const visit = (abs: string, rel: string): void => {
    for (const ent of readdirSync(abs, { withFileTypes: true })) {
      const name = ent.name;
      const childRel = `${rel}/${name}`;
      const childAbs = `${abs}/${name}`;
      if (name === ".dvcignore") dvcignore ??= childRel;
      else if (SKIP.has(name)) continue;
      else if (ent.isDirectory()) visit(childAbs, childRel);
      else if (ent.isSymbolicLink()) links.push(childRel);
      else if (ent.isFile()) {
        const st = fastLstat(childAbs);
        rels.push(childRel);
        stats.push(st.ino, st.size, st.mtimeMs, st.mode);
      }
    }
  };
  for (const d of job.dirs) visit(`${job.base}/${d}`, d);
  return {
    kind: "done",
    rels: rels.join("\0"),
    stats: Float64Array.from(stats),
    links,
    ...(dvcignore === undefined ? {} : { dvcignore }),
  };
}

if (parentPort) {
  let reply: WalkReply;
  try {
    reply = run(workerData as WalkJob);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = {
      kind: "error",
      message: e.message,
      ...(e.code ? { code: e.code } : {}),
      ...(e.path ? { path: e.path } : {}),
    };
  }
  parentPort.postMessage(reply, reply.kind === "done" ? [reply.stats.buffer as ArrayBuffer] : []);
}
