// dvx add: hash files/directories into the cache, write <target>.dvc and the .gitignore entry.
import { existsSync, promises as fs } from "node:fs";
import { join, resolve } from "node:path";
import { BadTargetError, OutputConflictError, PathNotFoundError } from "../../errors.js";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { ownerLabel, type Output } from "../../tracking/output.js";
import { collectOutputs } from "../data/collect.js";
import { applyGitFollowups, type GitFollowups } from "../git-followups.js";
import { expandGlobs } from "../glob.js";
import { withLock } from "../lock.js";
import type { Repo } from "../repo.js";
import { savePointerOutput, type SavedItem } from "../data/save-pointer.js";
import { resolveTarget } from "../targets.js";

export interface AddOptions {
  cwd: string;
  targets: string[];
  glob?: boolean;
  out?: string;
  noCommit?: boolean;
  desc?: string;
}

export interface AddResult extends GitFollowups {
  added: SavedItem[];
}

function checkConflicts(rel: string, pointerFile: string, outputs: Output[]): void {
  for (const o of outputs) {
    if (o.owner === pointerFile) continue;
    if (o.path === rel || rel.startsWith(`${o.path}/`) || o.path.startsWith(`${rel}/`)) {
      throw new OutputConflictError(rel, ownerLabel(o));
    }
  }
}

export async function addOp(repo: Repo, opts: AddOptions): Promise<AddResult> {
  if (opts.out !== undefined && opts.targets.length !== 1) {
    throw new BadTargetError(opts.out, "--out takes exactly one source target");
  }
  return withLock(repo, "dvx add", async () => {
    let targets = opts.glob ? expandGlobs(opts.cwd, opts.targets) : opts.targets;
    if (opts.out !== undefined) targets = [await copyIn(repo, opts.cwd, opts.targets[0]!, opts.out)];
    const rels = [...new Set(targets.map((t) => resolveTarget(repo, opts.cwd, t)))];
    const existing = await collectOutputs(new WorkspaceReader(repo.root), {
      workspace: { root: repo.root, ignore: repo.ignore },
    });
    // validate every target before writing anything
    for (const rel of rels) {
      if (rel.endsWith(".dvc"))
        throw new BadTargetError(rel, "it is a pointer file", `add the data it describes: dvx add ${rel.slice(0, -4)}`);
      if (!existsSync(join(repo.root, rel))) throw new PathNotFoundError(rel);
      if (repo.ignore.isIgnored(rel, false))
        throw new BadTargetError(rel, "it is ignored by .dvcignore", "remove the matching pattern from .dvcignore");
      checkConflicts(rel, `${rel}.dvc`, existing.outputs);
      // a re-add of what a pointer file already tracks was checked when it was first added (and this
      // check loads the git library, ~100 ms)
      const reAdd = existing.pointers.some((p) => p.file === `${rel}.dvc`);
      if (repo.scm && !reAdd) {
        const { isTracked } = await import("../../git/git.js");
        if (await isTracked(repo.root, rel)) {
          throw new BadTargetError(
            rel,
            "it is already tracked by git",
            `stop tracking it first: git rm -r --cached '${rel}'`,
          );
        }
      }
    }
    const touched: string[] = [];
    const added: SavedItem[] = [];
    for (const rel of rels) {
      const pointerFile = `${rel}.dvc`;
      const prevRec = existing.pointers.find((p) => p.file === pointerFile);
      const { item, touched: t } = await savePointerOutput(repo, rel, pointerFile, prevRec, {
        store: !opts.noCommit,
        ...(opts.desc !== undefined ? { desc: opts.desc } : {}),
      });
      added.push(item);
      touched.push(...t);
      await repo.state().save();
    }
    return { added, ...(await applyGitFollowups(repo, touched)) };
  });
}

/** `add -o OUT SRC`: copies SRC (a file or directory, possibly outside the repo) to OUT, which is then added. */
async function copyIn(repo: Repo, cwd: string, src: string, out: string): Promise<string> {
  const from = resolve(cwd, src);
  const rel = resolveTarget(repo, cwd, out);
  if (!existsSync(from)) throw new PathNotFoundError(src);
  if (existsSync(join(repo.root, rel)))
    throw new BadTargetError(out, "it already exists", "choose a new path for --out, or remove it first");
  await fs.cp(from, join(repo.root, rel), { recursive: true, errorOnExist: true });
  return join(repo.root, rel);
}
