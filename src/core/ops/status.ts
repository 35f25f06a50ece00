// dvx status: what differs between the workspace, the pointer files and the cache.
// Result shape = DVC's `status --json`: { "<file.dvc>": [{ "changed outs": { "<path>": "modified" } }] }.
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { ownerLabel, type Output } from "../../tracking/output.js";
import { collectOutputs } from "../data/collect.js";
import { outputState } from "../data/output-state.js";
import type { Repo } from "../repo.js";
import { selectOutputs } from "../select.js";

export interface StatusOptions {
  cwd: string;
  targets: string[];
}

export type StatusEntry = { "changed outs": Record<string, string> } | "changed checksum";

export interface StatusResult {
  /** Owner label → changes; empty when everything is up to date. */
  changes: Record<string, StatusEntry[]>;
  warnings: string[];
}

export async function statusOp(repo: Repo, opts: StatusOptions): Promise<StatusResult> {
  const collected = await collectOutputs(new WorkspaceReader(repo.root), {
    workspace: { root: repo.root, ignore: repo.ignore },
    pointersOnly: true,
  });
  const outputs: Output[] = selectOutputs(repo, collected.outputs, opts.cwd, opts.targets);
  const changes: Record<string, StatusEntry[]> = {};
  for (const out of outputs) {
    const st = await outputState(repo, out, false);
    if (st.status === "ok") continue;
    const key = ownerLabel(out);
    const list = (changes[key] ??= []);
    let entry = list.find((e): e is { "changed outs": Record<string, string> } => typeof e === "object");
    if (!entry) list.push((entry = { "changed outs": {} }));
    entry["changed outs"][out.path] = st.status;
  }
  // a pointer file with a stage checksum that no longer matches (imports; legacy md5 on plain adds)
  for (const p of collected.pointers) {
    if (p.pf.md5 !== undefined && p.pf.deps.length === 0) (changes[p.file] ??= []).push("changed checksum");
  }
  await repo.state().save();
  return { changes, warnings: collected.warnings };
}
