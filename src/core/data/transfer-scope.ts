// What a push/fetch/status -c is about: the outputs of the chosen revisions and targets that belong
// to this remote, and the objects they need.
import type { Output } from "../../tracking/output.js";
import type { Repo } from "../repo.js";
import { selectOutputs } from "../select.js";
import { scopeOutputs, scopeReaders, usedObjects, type RevScope, type UsedObjects } from "./used-objects.js";

/** What every remote command takes: targets, the remote (default core.remote), -j, and the revisions. */
export interface RemoteCommandOptions {
  cwd: string;
  targets: string[];
  remote?: string;
  jobs?: number;
  allBranches?: boolean;
  allTags?: boolean;
  /** Also the run cache: its entries and the output objects they record. */
  runCache?: boolean;
  /** These commits too (exp push/pull). */
  commits?: readonly string[];
  /** Leave the workspace out of the scope (exp push/pull: only the experiments' data). */
  noWorkspace?: boolean;
}

export interface TransferScopeOptions extends Partial<RevScope> {
  noWorkspace?: boolean;
  cwd: string;
  targets: string[];
  /** The remote being used, to skip outputs pinned to another remote (`remote:` on the output). */
  remoteName: string;
  /** push skips `push: false` outputs; fetch/pull do not. */
  forPush: boolean;
  /** Outputs beyond the revisions' own (the run cache's). */
  extraOutputs?: Output[];
}

export interface TransferScope {
  outputs: Output[];
  used: UsedObjects;
  warnings: string[];
}

export async function transferScope(repo: Repo, opts: TransferScopeOptions): Promise<TransferScope> {
  const readers = await scopeReaders(repo, {
    workspace: opts.noWorkspace !== true,
    allBranches: opts.allBranches === true,
    allTags: opts.allTags === true,
    ...(opts.commits ? { commits: opts.commits } : {}),
  });
  const { outputs: all, warnings } = await scopeOutputs(repo, readers);
  const picked = opts.targets.length > 0 ? selectOutputs(repo, all, opts.cwd, opts.targets) : all;
  const outputs = picked.filter(
    (o) =>
      o.cache &&
      o.hash &&
      (!opts.forPush || o.push) &&
      (o.remote === undefined || o.remote.toLowerCase() === opts.remoteName),
  );
  const used = await usedObjects(repo, [...outputs, ...(opts.extraOutputs ?? [])]);
  return { outputs, used, warnings };
}
