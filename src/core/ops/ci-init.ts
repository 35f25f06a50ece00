// dvx ci init: writes .github/workflows/dvx-report.yml (from templates/github-workflow.yml) at the top of the git
// work tree: on pull_request, check out with history, set up Node, install dvx, pull, repro, post the report.
import { existsSync, promises as fs, readFileSync } from "node:fs";
import { join } from "node:path";
import { FileExistsError, NotARepoError, UsageError } from "../../errors.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { findGitRoot } from "../../git/find-git-root.js";
import { dvxVersion, packagePath } from "../../version.js";

export const WORKFLOW_PATH = ".github/workflows/dvx-report.yml";
const PLACEHOLDER_REPO = "OWNER/dvx";

export interface CiInitOptions {
  cwd: string;
  force: boolean;
  /** The action to use, `owner/repo@ref` (default: this package's GitHub repository at its version tag). */
  action?: string;
}

export interface CiInitResult {
  path: string;
  action: string;
  overwritten: boolean;
  gitAdd: string[];
  warnings: string[];
}

export async function ciInitOp(opts: CiInitOptions): Promise<CiInitResult> {
  const root = await findGitRoot(opts.cwd);
  if (root === null) throw new NotARepoError(opts.cwd);
  const action = opts.action ?? defaultAction();
  if (!/^([\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+|\.\/[\w./-]*)$/.test(action))
    throw new UsageError(`'${action}' is not an action reference like owner/repo@ref or ./path`);
  const abs = join(root, WORKFLOW_PATH);
  const overwritten = existsSync(abs);
  if (overwritten && !opts.force) throw new FileExistsError(WORKFLOW_PATH, 'use "dvx ci init -f" to overwrite it');
  const text = (await fs.readFile(packagePath("templates/github-workflow.yml"), "utf8")).replaceAll(
    "{{action}}",
    action,
  );
  await writeFileAtomic(abs, text);
  const warnings = action.startsWith(`${PLACEHOLDER_REPO}@`)
    ? [`replace '${PLACEHOLDER_REPO}' in ${WORKFLOW_PATH} with the repository of the dvx action (or use --action)`]
    : [];
  return { path: WORKFLOW_PATH, action, overwritten, gitAdd: [WORKFLOW_PATH], warnings };
}

/** owner/repo@v<version> from package.json's GitHub "repository", else a placeholder the user must replace. */
function defaultAction(): string {
  const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as {
    repository?: string | { url?: string };
  };
  const url = typeof pkg.repository === "string" ? pkg.repository : (pkg.repository?.url ?? "");
  const m = /(?:github\.com[/:]|^github:|^)([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url);
  return `${m?.[1] ?? PLACEHOLDER_REPO}@v${dvxVersion()}`;
}
