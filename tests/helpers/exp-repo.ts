// Experiments made with git plumbing in DVC's shape (docs/formats.md §11.1): a commit whose parent is the
// baseline, holding the baseline's tree with some files replaced, under refs/exps/<sha[0:2]>/<sha[2:]>/<name>,
// message "dvc: commit experiment <hash>". Built in a temporary index: the workspace and the real index stay as
// they are, as after `dvc exp run` + `dvc exp apply` of nothing.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";

export interface ExpCommitOptions {
  /** The baseline commit (default: HEAD). */
  baseline?: string;
  /** Committer/author date, e.g. "2026-01-01T10:17:00Z" (default 2026-01-01T00:00:00Z). */
  date?: string;
  /** Files to delete from the baseline's tree. */
  remove?: string[];
}

function git(dir: string, args: string[], env: Record<string, string> = {}, input?: string): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", ...args], {
    cwd: dir,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", ...env },
    encoding: "utf8",
    ...(input !== undefined ? { input } : {}),
  }).trim();
}

/** Commits `files` on top of the baseline as experiment `name`; returns the experiment commit. */
export function makeExperiment(
  dir: string,
  name: string,
  files: Record<string, string>,
  opts: ExpCommitOptions = {},
): string {
  const baseline = opts.baseline ?? git(dir, ["rev-parse", "HEAD"]);
  const index = join(dir, ".git", `exp-index-${process.pid}-${name.replace(/\W/g, "_")}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    git(dir, ["read-tree", baseline], env);
    for (const [path, text] of Object.entries(files)) {
      const oid = git(dir, ["hash-object", "-w", "--stdin"], {}, text);
      git(dir, ["update-index", "--add", "--cacheinfo", `100644,${oid},${path}`], env);
    }
    for (const path of opts.remove ?? []) git(dir, ["update-index", "--remove", "--force-remove", path], env);
    const tree = git(dir, ["write-tree"], env);
    const date = opts.date ?? "2026-01-01T00:00:00Z";
    const hash = createHash("sha256")
      .update(name + JSON.stringify(files))
      .digest("hex");
    const commit = git(dir, ["commit-tree", tree, "-p", baseline, "-m", `dvc: commit experiment ${hash}`], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    git(dir, ["update-ref", `refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}/${name}`, commit]);
    return commit;
  } finally {
    rmSync(index, { force: true });
  }
}

/** A ref under refs/exps/ that is not an experiment (DVC's stash, exec and celery refs). */
export function makeAuxRef(dir: string, ref: string, commit: string): void {
  git(dir, ["update-ref", ref, commit]);
}

/** `git add -A && git commit` with the given date (ISO); returns the commit. */
export function commitAt(dir: string, message: string, date: string): string {
  const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  git(dir, ["add", "-A"], env);
  git(dir, ["commit", "-q", "-m", message], env);
  return git(dir, ["rev-parse", "HEAD"]);
}

/** Many experiments on one baseline in one `git fast-import` run (same shape as makeExperiment). */
export function makeExperiments(
  dir: string,
  baseline: string,
  exps: Array<{ name: string; files: Record<string, string>; date: string }>,
): void {
  const parts: string[] = [];
  for (const e of exps) {
    const msg = `dvc: commit experiment ${createHash("sha256").update(e.name).digest("hex")}`;
    const when = Math.floor(Date.parse(e.date) / 1000);
    parts.push(`commit refs/exps/${baseline.slice(0, 2)}/${baseline.slice(2)}/${e.name}\n`);
    parts.push(`committer t <t@e> ${when} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\nfrom ${baseline}\n`);
    for (const [path, text] of Object.entries(e.files))
      parts.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`);
  }
  parts.push("done\n");
  git(dir, ["fast-import", "--quiet", "--done"], {}, parts.join(""));
}
