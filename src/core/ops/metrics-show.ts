// dvx metrics show: the metrics of the workspace, or with -a/-T/-A of every branch/tag/commit (DVC's brancher:
// the workspace first, hidden when it equals the checked-out branch).
import { gatherMetrics, type RevData } from "../metrics-gather.js";
import type { Repo } from "../repo.js";
import { openRevFiles, type RevFiles } from "../rev-files.js";
import { activeBranch, showRevisions, wantsRevisions, type ShowScope } from "../revisions.js";
import { resolveTarget } from "../targets.js";
import { revErrors, type RevFileError } from "./metrics-diff.js";

export interface MetricsShowOptions extends ShowScope {
  cwd: string;
  /** Metrics files to show instead of the declared ones (relative to cwd). */
  targets?: string[];
}

export interface ShownRevision extends RevData {
  /** The key of DVC's JSON and the Revision column: "" (workspace only), "workspace", "main", "v1, v2", a hash. */
  name: string;
}

export interface ShowResult {
  revisions: ShownRevision[];
  /** True with -a/-T/-A: the table gets a Revision column. */
  withRevision: boolean;
  errors: RevFileError[];
}

const sameData = (a: RevData, b: RevData): boolean => {
  const key = (r: RevData): string =>
    JSON.stringify(r.files, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) + JSON.stringify(r.errors);
  return key(a) === key(b);
};

/** Reads every revision of the scope with `gather`; the shared body of metrics show and params show. */
export async function showAcross(
  repo: Repo,
  scope: ShowScope,
  gather: (files: RevFiles) => Promise<RevData>,
): Promise<ShowResult> {
  const revisions: ShownRevision[] = [];
  for (const rev of await showRevisions(repo, scope)) {
    const files = await openRevFiles(repo, rev.commit, rev.name);
    revisions.push({ ...(await gather(files)), name: rev.name });
  }
  if (wantsRevisions(scope)) {
    const branch = await activeBranch(repo);
    const ws = revisions.find((r) => r.name === "workspace");
    const head = revisions.find((r) => r.name === branch);
    if (ws && head && sameData(ws, head)) revisions.splice(revisions.indexOf(ws), 1);
  }
  return { revisions, withRevision: wantsRevisions(scope), errors: revErrors(...revisions) };
}

export async function metricsShowOp(repo: Repo, opts: MetricsShowOptions): Promise<ShowResult> {
  const targets = (opts.targets ?? []).map((t) => resolveTarget(repo, opts.cwd, t));
  return showAcross(repo, opts, (files) => gatherMetrics(files, targets));
}
