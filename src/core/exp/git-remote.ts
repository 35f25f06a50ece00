// Experiment refs to and from a git remote, through the system git (the user's transports, credentials and
// config, as DVC users have them): `git ls-remote`, `git push <remote> <ref>:<ref>`, `git fetch <remote>
// <ref>:<ref>`. A ref that the remote (or the local repository) holds at another commit is rejected unless forced.
import { GitRemoteError } from "../../git/git-errors.js";
import { redactUrls, runGit } from "../../git/system-git.js";
import { EXPS_NAMESPACE, parseExpRef } from "../../exp/refs.js";
import type { Experiment } from "./experiments.js";

type Env = Record<string, string | undefined>;

/** The last few meaningful lines of git's stderr (credentials in URLs hidden), for an error message. */
export const lastLines = (text: string): string =>
  redactUrls(
    text
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("hint:"))
      .slice(-3)
      .join("; "),
  ) || "git exited with an error";

/** The experiments a git remote holds. */
export async function remoteExperiments(gitRoot: string, remote: string, env: Env): Promise<Experiment[]> {
  const r = await runGit(gitRoot, ["ls-remote", "--refs", remote, `${EXPS_NAMESPACE}/*`], env);
  if (r.code !== 0) throw new GitRemoteError("ls-remote", remote, lastLines(r.stderr));
  const out: Experiment[] = [];
  for (const line of r.stdout.split("\n")) {
    const [oid, ref] = line.split("\t");
    const e = ref === undefined ? null : parseExpRef(ref.trim());
    if (e && oid && /^[0-9a-f]{40}$/.test(oid)) out.push({ ...e, oid });
  }
  return out;
}

export interface RefTransfer {
  ref: string;
  /** "new", "updated", "forced", "up to date". */
  status: string;
}

/** Pushes each ref to the same name on the remote. */
export async function pushRefs(
  gitRoot: string,
  remote: string,
  refs: string[],
  force: boolean,
  env: Env,
): Promise<RefTransfer[]> {
  const specs = refs.map((r) => `${force ? "+" : ""}${r}:${r}`);
  const r = await runGit(gitRoot, ["push", "--porcelain", remote, ...specs], env);
  const results: RefTransfer[] = [];
  const rejected: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const m = /^([ +\-*!=])\t([^:]+):(\S+)\t(.*)$/.exec(line);
    if (!m) continue;
    const flag = m[1]!;
    if (flag === "!") rejected.push(m[3]!);
    else
      results.push({
        ref: m[3]!,
        status: { " ": "updated", "+": "forced", "-": "deleted", "*": "new", "=": "up to date" }[flag]!,
      });
  }
  if (rejected.length > 0)
    throw new GitRemoteError(
      "push",
      remote,
      `the remote has a different commit for ${rejected.map((x) => `'${x}'`).join(", ")}`,
      "use -f to overwrite the remote's experiments",
    );
  if (r.code !== 0) throw new GitRemoteError("push", remote, lastLines(r.stderr));
  return results;
}

/** Fetches each ref into the same local name. */
export async function fetchRefs(
  gitRoot: string,
  remote: string,
  refs: string[],
  force: boolean,
  env: Env,
): Promise<void> {
  const specs = refs.map((r) => `${force ? "+" : ""}${r}:${r}`);
  const r = await runGit(gitRoot, ["fetch", "--no-tags", "--no-write-fetch-head", remote, ...specs], env);
  if (r.code !== 0) {
    const rejected = /\[rejected\]/.test(r.stderr);
    throw new GitRemoteError(
      "fetch",
      remote,
      rejected ? "a local experiment of the same name holds a different commit" : lastLines(r.stderr),
      rejected ? "use -f to overwrite your local experiments" : undefined,
    );
  }
}
