// dvx ci report: the Markdown report of a change between two revisions (default: the pull request's base and the
// workspace after `dvx repro`): metrics (DVC's `metrics diff --md` table with ▲/▼ and improved/regressed marks),
// params, data changes with row counts of changed text files, plots, and the newest repro run. `--targets` limits
// every section to the files and outputs at or under the given paths.
import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import type { DiffRow } from "../../metrics/diff.js";
import type { Direction } from "../../metrics/direction.js";
import { DEFAULT_REPORT_NAME, invalidReportName } from "../../report/comment-body.js";
import type { ReadProblem, ReportData, ReportRev, TableSection } from "../../report/report-model.js";
import { reportMarkdown } from "../../report/report-md.js";
import { gatherDataChanges } from "../ci-report/data-changes.js";
import { ObjectSource } from "../ci-report/object-source.js";
import { plotsSection } from "../ci-report/plots-section.js";
import { reportRevisions } from "../ci-report/revisions.js";
import { newestRun } from "../ci-report/run-section.js";
import type { Repo } from "../repo.js";
import { resolveTarget } from "../targets.js";
import { metricsDiffOp, type RevFileError } from "./metrics-diff.js";
import { paramsDiffOp } from "./params-diff.js";

/** Text files larger than this are not compared row by row (unless --text-limit or ci.text_limit says otherwise). */
export const DEFAULT_TEXT_LIMIT = 5 * 1024 ** 2;
export const DEFAULT_SAMPLE_ROWS = 10;
/** Changed files compared row by row, in all; files listed per output. */
export const MAX_COMPARED = 20;
export const MAX_LISTED = 50;

export interface CiReportOptions {
  cwd: string;
  base?: string;
  head?: string;
  targets?: string[];
  name?: string;
  /** Metric directions from the command line; they win over dvx.config [metrics]. */
  directions?: ReadonlyMap<string, Direction>;
  /** Bytes; default: config ci.text_limit, else DEFAULT_TEXT_LIMIT. */
  textLimit?: number;
  sampleRows?: number;
  /** Write the report here (relative to cwd) instead of returning it only. */
  output?: string;
}

export interface CiReportResult {
  name: string;
  base: ReportRev;
  head: ReportRev;
  /** The absolute path written, or null. */
  output: string | null;
  markdown: string;
  report: ReportData;
  /** Objects downloaded from the remote for the comparison. */
  fetched: number;
  warnings: string[];
}

const problems = (errors: readonly RevFileError[]): ReadProblem[] =>
  errors.map((e) => ({ rev: e.rev.length === 40 ? e.rev.slice(0, 7) : e.rev, path: e.path, message: e.message }));

/** Rows and files at or under one of `targets` (all when there are none). */
function limitTo<R extends DiffRow>(
  s: { files: string[]; rows: R[]; errors: RevFileError[] },
  targets: string[],
): TableSection<R> {
  const keep = (p: string): boolean => targets.length === 0 || targets.some((t) => p === t || p.startsWith(`${t}/`));
  return {
    files: s.files.filter(keep),
    rows: s.rows.filter((r) => keep(r.path)),
    problems: problems(s.errors.filter((e) => keep(e.path))),
  };
}

export async function ciReportOp(repo: Repo, opts: CiReportOptions): Promise<CiReportResult> {
  const name = opts.name ?? DEFAULT_REPORT_NAME;
  const bad = invalidReportName(name);
  if (bad) throw new UsageError(`invalid report name '${name}': ${bad}`);
  const targets = (opts.targets ?? []).map((t) => resolveTarget(repo, opts.cwd, t));
  const revs = await reportRevisions(repo, {
    ...(opts.base ? { base: opts.base } : {}),
    ...(opts.head ? { head: opts.head } : {}),
  });
  const sides = { aRev: revs.base.commit, ...(revs.headRev ? { bRev: revs.headRev } : {}) };
  const [metrics, params] = await Promise.all([
    metricsDiffOp(repo, { cwd: repo.root, ...sides, ...(opts.directions ? { directions: opts.directions } : {}) }),
    paramsDiffOp(repo, { cwd: repo.root, ...sides }),
  ]);
  const src = new ObjectSource(repo);
  try {
    const data = await gatherDataChanges(repo, src, {
      cwd: repo.root,
      base: revs.base.commit,
      head: revs.headRev,
      targets,
      textLimit: opts.textLimit ?? repo.settings.config.ci.textLimit ?? DEFAULT_TEXT_LIMIT,
      sampleRows: opts.sampleRows ?? DEFAULT_SAMPLE_ROWS,
      maxCompare: MAX_COMPARED,
      maxListed: MAX_LISTED,
    });
    data.problems.push(...src.problems);
    const report: ReportData = {
      name,
      targets,
      base: revs.base,
      head: revs.head,
      metrics: limitTo(metrics, targets),
      params: limitTo(params, targets),
      data,
      plots: await plotsSection(repo, {
        cwd: repo.root,
        base: { rev: revs.base.commit, label: revs.base.label },
        head: { rev: revs.headRev, label: revs.head.label },
        targets,
      }),
      run: await newestRun(repo),
    };
    const markdown = reportMarkdown(report);
    const output = opts.output === undefined ? null : resolve(opts.cwd, opts.output);
    if (output !== null) await writeFileAtomic(output, markdown);
    return {
      name,
      base: revs.base,
      head: revs.head,
      output,
      markdown,
      report,
      fetched: src.fetched,
      warnings: [
        ...revs.warnings,
        ...metrics.errors.map((e) => `could not read metrics ${e.path} at ${e.rev.slice(0, 7)}: ${e.message}`),
      ],
    };
  } finally {
    await src.close();
  }
}
