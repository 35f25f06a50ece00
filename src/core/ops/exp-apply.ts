// dvx exp apply: bring an experiment (made by dvx or DVC: same refs, same commit shape) into the workspace: its
// git files are written over the workspace's and its data is checked out from the cache. HEAD, the branch and
// the index stay as they are; workspace files the experiment does not have are kept (as DVC keeps them).
// A file or output whose current content is saved nowhere (not in git, not in the cache) is not overwritten
// unless forced; the refusal happens before anything is written.
import { chmod, lstat, mkdir, readlink, rm, symlink } from "node:fs/promises";
import path from "node:path";
import { CheckoutError, UnsafePathError } from "../../errors.js";
import { UnsavedChangesError } from "../../exp/errors.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { assertWritesStayInside, isSafeRelPath } from "../../fsx/paths.js";
import { GitRevReader } from "../../git/readers.js";
import { gitDirs } from "../../git/git-dirs.js";
import { readIndex } from "../../git/index-file.js";
import { checkoutOutputs, type CheckoutResult } from "../data/checkout-outputs.js";
import { collectOutputs } from "../data/collect.js";
import { gitPlace } from "../exp/collect.js";
import { resolveExperiments } from "../exp/experiments.js";
import { leafOf } from "../exp/snapshot.js";
import { withLock } from "../lock.js";
import type { Repo } from "../repo.js";

export interface ExpApplyOptions {
  name: string;
  force?: boolean;
}

export interface ExpApplyResult {
  name: string;
  commit: string;
  /** Git-root-relative files written. */
  files: string[];
  checkout: CheckoutResult;
}

export async function expApplyOp(repo: Repo, opts: ExpApplyOptions): Promise<ExpApplyResult> {
  return withLock(repo, "dvx exp apply", async () => {
    const { gitRoot } = await gitPlace(repo);
    const [exp] = await resolveExperiments(gitRoot, [opts.name]);
    const git = await import("../../git/git.js");
    const tree = await git.readTreeRecursive(gitRoot, exp!.oid);
    const dirs = await gitDirs(gitRoot);
    const index = await readIndex(dirs.gitdir);
    const entries = new Map(index.entries.map((e) => [e.path, e] as const));
    // 1. which git files change, and whether any holds content saved nowhere
    const writes: Array<{ path: string; mode: string; oid: string }> = [];
    const unsaved: string[] = [];
    for (const [p, e] of tree) {
      if (e.type !== "blob") continue;
      // an experiment may come from someone else's repository (exp pull): nothing lands outside the work tree
      // or in .git (a hook would run code)
      if (!isSafeRelPath(p) || p.split("/").some((seg) => seg === "." || seg.toLowerCase() === ".git"))
        throw new UnsafePathError(p, `experiment '${exp!.name}'`);
      const abs = path.join(gitRoot, ...p.split("/"));
      assertWritesStayInside(gitRoot, abs, `experiment '${exp!.name}'`);
      const now = await leafOf(dirs.common, abs, entries.get(p), index.mtimeMs, false);
      if (now !== null && now.oid === e.oid && now.mode === e.mode) continue;
      writes.push({ path: p, mode: e.mode, oid: e.oid });
      if (now !== null && !opts.force && !(await git.hasObject(gitRoot, now.oid))) unsaved.push(p);
    }
    if (unsaved.length > 0) throw new UnsavedChangesError(unsaved, `applying experiment '${exp!.name}'`);
    // 2. data: planned in full first (refuses over unsaved data changes before placing anything)
    const collected = await collectOutputs(new GitRevReader(repo.root, exp!.oid, exp!.name), {});
    const outputs = collected.outputs.filter((o) => o.cache && o.hash);
    let checkout: CheckoutResult;
    let missing: CheckoutError | undefined;
    try {
      checkout = await checkoutOutputs(repo, outputs, { force: opts.force === true }, collected.warnings);
    } catch (e) {
      if (!(e instanceof CheckoutError)) throw e;
      missing = e;
      checkout = { changed: [], unchanged: 0, failed: [], warnings: collected.warnings };
    }
    // 3. the git files
    for (const w of writes) await writeGitFile(gitRoot, w, (oid) => git.readBlobOid(gitRoot, oid));
    if (missing) throw missing;
    return { name: exp!.name, commit: exp!.oid, files: writes.map((w) => w.path), checkout };
  });
}

async function writeGitFile(
  root: string,
  w: { path: string; mode: string; oid: string },
  read: (oid: string) => Promise<Buffer | null>,
): Promise<void> {
  const abs = path.join(root, ...w.path.split("/"));
  const data = await read(w.oid);
  if (data === null) throw new Error(`internal: blob ${w.oid} of '${w.path}' is missing`);
  const st = await lstat(abs).catch(() => null);
  if (st?.isDirectory()) await rm(abs, { recursive: true, force: true });
  if (w.mode === "120000") {
    if (st?.isSymbolicLink() && (await readlink(abs)) === data.toString("utf8")) return;
    await rm(abs, { force: true });
    await mkdir(path.dirname(abs), { recursive: true });
    await symlink(data.toString("utf8"), abs);
    return;
  }
  if (st?.isSymbolicLink()) await rm(abs, { force: true });
  await writeFileAtomic(abs, data);
  const exec = w.mode === "100755";
  const cur = (await lstat(abs)).mode;
  const want = exec ? cur | ((cur & 0o444) >> 2) : cur & ~0o111;
  if (want !== cur) await chmod(abs, want & 0o7777);
}
