// The set of objects a scope of revisions needs: for every cached output, its object and, for a
// directory, its manifest's files. Used by gc (keep set) and push/fetch/status -c (what to transfer).
import { GitRevReader } from "../../git/readers.js";
import { WorkspaceReader } from "../../git/workspace-reader.js";
import type { TreeReader } from "../../git/tree-reader.js";
import type { HashInfo } from "../../odb/types.js";
import type { Output } from "../../tracking/output.js";
import { collectOutputs } from "./collect.js";
import type { Repo } from "../repo.js";

export interface RevScope {
  workspace: boolean;
  allBranches?: boolean;
  allTags?: boolean;
  /** These commits too (experiments for `exp push`/`exp pull`). */
  commits?: readonly string[];
}

/** Readers for the workspace and/or every branch head and tag and the given commits (deduplicated by commit). */
export async function scopeReaders(repo: Repo, scope: RevScope): Promise<TreeReader[]> {
  const readers: TreeReader[] = [];
  if (scope.workspace) readers.push(new WorkspaceReader(repo.root));
  if ((scope.allBranches || scope.allTags || (scope.commits?.length ?? 0) > 0) && repo.scm) {
    const { listRefs } = await import("../../git/git.js");
    const refs = scope.allBranches || scope.allTags ? await listRefs(repo.root) : { branches: [], tags: [] };
    const seen = new Set<string>();
    const add = (name: string, oid: string): void => {
      if (seen.has(oid)) return;
      seen.add(oid);
      readers.push(new GitRevReader(repo.root, oid, name));
    };
    if (scope.allBranches) refs.branches.forEach((b) => add(b.name, b.oid));
    if (scope.allTags) refs.tags.forEach((t) => add(t.name, t.oid));
    for (const oid of scope.commits ?? []) add(oid.slice(0, 7), oid);
  }
  return readers;
}

/** Collects the outputs of every reader (workspace reader gets the pruned walk). */
export async function scopeOutputs(
  repo: Repo,
  readers: TreeReader[],
): Promise<{ outputs: Output[]; warnings: string[] }> {
  const outputs: Output[] = [];
  const warnings: string[] = [];
  for (const r of readers) {
    const c = await collectOutputs(
      r,
      r instanceof WorkspaceReader ? { workspace: { root: repo.root, ignore: repo.ignore } } : {},
    );
    outputs.push(...c.outputs);
    warnings.push(...c.warnings);
  }
  return { outputs, warnings };
}

export interface UsedObjects {
  /** Object → hash info, keyed by "<name>:<value>". Directory manifests come before their files. */
  objects: Map<string, HashInfo>;
  /** For each .dir object key, the keys of its files (only when the manifest is in the cache). */
  dirs: Map<string, string[]>;
  /** .dir objects whose manifest is not in the local cache (their files are unknown). */
  unknownDirs: HashInfo[];
}

export const hashId = (h: HashInfo): string => `${h.name}:${h.value}`;

export async function usedObjects(
  repo: Repo,
  outputs: Output[],
  filter: (o: Output) => boolean = () => true,
): Promise<UsedObjects> {
  const used: UsedObjects = { objects: new Map(), dirs: new Map(), unknownDirs: [] };
  for (const o of outputs) {
    if (!o.cache || !o.hash || !filter(o)) continue;
    const k = hashId(o.hash);
    if (used.objects.has(k)) continue;
    used.objects.set(k, o.hash);
    if (!o.hash.value.endsWith(".dir")) continue;
    if (!repo.odb.has(o.hash)) {
      used.unknownDirs.push(o.hash);
      continue;
    }
    const files: string[] = [];
    for (const e of await repo.odb.readTree(o.hash)) {
      const h: HashInfo = { name: o.hash.name, value: e.md5 };
      used.objects.set(hashId(h), h);
      files.push(hashId(h));
    }
    used.dirs.set(k, files);
  }
  return used;
}
