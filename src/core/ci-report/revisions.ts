// The two sides of a change report. Head: a revision, or the workspace (labelled with HEAD's short hash). Base, when
// not given: in a GitHub Actions pull request, the merge base of the pull request's base commit (the event's
// `pull_request.base.sha`, else `origin/$GITHUB_BASE_REF`) and the head, i.e. what the pull request changes; on a
// push, the commit before the push (the event's `before`); elsewhere the first parent of the head.
import { promises as fs } from "node:fs";
import { AppError, EXIT, UsageError } from "../../errors.js";
import type { ReportRev } from "../../report/report-model.js";
import type { Repo } from "../repo.js";

/** The base commit a pull request's report needs is not in the clone. */
export class BaseCommitMissingError extends AppError {
  constructor(what: string) {
    super("BASE_COMMIT_MISSING", EXIT.failed, `the base of the comparison (${what}) is not in this clone`, {
      hint: "check out with the history (actions/checkout with fetch-depth: 0), or give the base with --base REV",
      details: { base: what },
    });
  }
}

export interface ReportRevs {
  base: ReportRev & { commit: string };
  head: ReportRev;
  /** The head as ops take it: a commit, or undefined for the workspace. */
  headRev: string | undefined;
  warnings: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === "object" ? (v as Obj) : undefined);
const short = (oid: string): string => oid.slice(0, 7);
const isSha = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{40}$/i.test(v) && !/^0+$/.test(v);

async function readEvent(path: string | undefined, warnings: string[]): Promise<Obj> {
  if (!path) return {};
  try {
    return obj(JSON.parse(await fs.readFile(path, "utf8"))) ?? {};
  } catch (err) {
    warnings.push(`cannot read the event payload GITHUB_EVENT_PATH '${path}': ${(err as Error).message}`);
    return {};
  }
}

async function commitOf(root: string, rev: string): Promise<string | null> {
  const { resolveRevision } = await import("../../git/revparse.js");
  try {
    return await resolveRevision(root, rev);
  } catch (err) {
    if (err instanceof AppError) return null; // unknown, ambiguous or unsupported: not this candidate
    throw err;
  }
}

async function defaultBase(
  repo: Repo,
  head: string | null,
  warnings: string[],
): Promise<{ commit: string; why: string }> {
  const env = repo.env;
  const event = await readEvent(env.GITHUB_EVENT_PATH, warnings);
  const pr = obj(event.pull_request);
  const baseRef = String(obj(pr?.base)?.ref ?? env.GITHUB_BASE_REF ?? "");
  const baseSha = obj(pr?.base)?.sha;
  if (pr !== undefined || baseRef !== "") {
    const candidates = [...(isSha(baseSha) ? [baseSha] : []), ...(baseRef ? [`origin/${baseRef}`, baseRef] : [])];
    const named = baseRef ? `the pull request's base \`${baseRef}\`` : "the pull request's base";
    for (const c of candidates) {
      const tip = await commitOf(repo.root, c);
      if (tip === null) continue;
      const { mergeBase } = await import("../../git/merge-base.js");
      const mb = head === null ? null : await mergeBase(repo.root, tip, head);
      if (mb === null || mb === tip) return { commit: tip, why: named };
      return { commit: mb, why: `the merge base of ${named} and the head` };
    }
    throw new BaseCommitMissingError(candidates[0] ?? "the pull request's base");
  }
  const before = event.before;
  if (env.GITHUB_EVENT_NAME === "push" && isSha(before)) {
    const c = await commitOf(repo.root, before);
    if (c !== null) return { commit: c, why: "the commit before the push" };
    warnings.push(
      `the commit before the push (${short(before)}) is not in this clone: comparing with the head's parent`,
    );
  }
  const { readObjectInfo } = await import("../../git/git.js");
  const info = head === null ? null : await readObjectInfo(repo.root, head);
  const parent = info?.type === "commit" ? info.parents[0] : undefined;
  if (parent === undefined || (await readObjectInfo(repo.root, parent)) === null)
    throw new UsageError(
      head === null ? "there is no commit to compare with" : "the head has no parent commit to compare with",
      {
        hint: 'give the base: "dvx ci report --base REV"',
      },
    );
  return { commit: parent, why: "the parent of the head" };
}

export async function reportRevisions(repo: Repo, opts: { base?: string; head?: string }): Promise<ReportRevs> {
  const warnings: string[] = [];
  const { resolveRevision } = await import("../../git/revparse.js");
  const { headOid } = await import("../../git/git.js");
  const headCommit = opts.head !== undefined ? await resolveRevision(repo.root, opts.head) : await headOid(repo.root);
  const typed = (rev: string | undefined): { why?: string } =>
    rev === undefined || isSha(rev) ? {} : { why: `\`${rev}\`` };
  const base =
    opts.base !== undefined
      ? { commit: await resolveRevision(repo.root, opts.base), ...typed(opts.base) }
      : await defaultBase(repo, headCommit, warnings);
  const workspace = opts.head === undefined;
  const headLabel = headCommit === null || (workspace && headCommit === base.commit) ? "workspace" : short(headCommit);
  return {
    base: { ...base, label: short(base.commit), workspace: false },
    head: {
      commit: headCommit,
      label: headLabel,
      workspace,
      ...typed(opts.head),
    },
    headRev: workspace ? undefined : headCommit!,
    warnings,
  };
}
