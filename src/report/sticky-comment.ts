// One comment per target and report name, updated in place: the newest comment that starts with our marker AND
// was written by the account of the token is updated; otherwise one is created. Every page of comments is read.
import { markerName } from "./comment-body.js";
import { repoPath, type CommentTarget } from "./comment-target.js";
import type { GitHubClient } from "./github.js";
import { GitHubApiError, GitHubUnavailableError } from "./github-errors.js";

/** The author of the Actions GITHUB_TOKEN's comments (the token cannot read GET /user). */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

export interface Identity {
  login: string;
  id: number | undefined;
  /** "user": from GET /user; "actions-bot": GET /user was forbidden, so the token is the Actions GITHUB_TOKEN. */
  source: "user" | "actions-bot";
}

export interface ApiComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string; id?: number; type?: string } | null;
}

export interface StickyResult {
  action: "created" | "updated" | "would-create" | "would-update";
  commentId: number | undefined;
  url: string | undefined;
  author: string;
  /** Comments read to find ours. */
  scanned: number;
}

/** Who the token writes as. A 401 surfaces as AuthenticationError; a 403 means the Actions token. */
export async function tokenIdentity(client: GitHubClient): Promise<Identity> {
  try {
    const { data } = await client.request<{ login: string; id: number }>("GET", "/user");
    return { login: data.login, id: data.id, source: "user" };
  } catch (err) {
    if (err instanceof GitHubApiError && err.status === 403)
      return { login: ACTIONS_BOT_LOGIN, id: undefined, source: "actions-bot" };
    throw err;
  }
}

const sameAuthor = (c: ApiComment, who: Identity): boolean =>
  who.id !== undefined && c.user?.id !== undefined
    ? c.user.id === who.id
    : (c.user?.login ?? "").toLowerCase() === who.login.toLowerCase();

/** The newest comment (highest id) carrying the marker of `name` and written by `who`. */
export function findOwnComment(comments: readonly ApiComment[], name: string, who: Identity): ApiComment | undefined {
  let best: ApiComment | undefined;
  for (const c of comments)
    if (markerName(c.body) === name && sameAuthor(c, who) && (best === undefined || c.id > best.id)) best = c;
  return best;
}

const paths = (t: CommentTarget) => {
  const r = `/repos/${repoPath(t.repository)}`;
  return t.kind === "pull_request"
    ? { list: `${r}/issues/${t.number}/comments`, update: (id: number) => `${r}/issues/comments/${id}` }
    : { list: `${r}/commits/${t.sha}/comments`, update: (id: number) => `${r}/comments/${id}` };
};

export async function upsertStickyComment(
  client: GitHubClient,
  target: CommentTarget,
  name: string,
  body: string,
  opts: { dryRun: boolean; identity?: Identity },
): Promise<StickyResult> {
  const who = opts.identity ?? (await tokenIdentity(client));
  const p = paths(target);
  const find = async (): Promise<{ own: ApiComment | undefined; scanned: number }> => {
    const all = await client.paginate<ApiComment>(p.list);
    return { own: findOwnComment(all, name, who), scanned: all.length };
  };
  let { own, scanned } = await find();
  const done = (action: StickyResult["action"], c: ApiComment | undefined): StickyResult => ({
    action,
    commentId: c?.id,
    url: c?.html_url,
    author: who.login,
    scanned,
  });
  if (opts.dryRun) return done(own ? "would-update" : "would-create", own);
  for (let attempt = 1; ; attempt++) {
    if (own) {
      const { data } = await client.request<ApiComment>("PATCH", p.update(own.id), { body: { body } });
      return done("updated", data);
    }
    try {
      const { data } = await client.request<ApiComment>("POST", p.list, { body: { body } });
      return done("created", data);
    } catch (err) {
      // A 5xx or a lost connection on create: the comment may exist now. Look again before trying again, so a
      // retry never duplicates it.
      if (!(err instanceof GitHubUnavailableError) || err.reason === "rate-limit") throw err;
      if (!(await client.backoff("POST", p.list, err.status, attempt))) throw err;
      ({ own, scanned } = await find());
    }
  }
}
