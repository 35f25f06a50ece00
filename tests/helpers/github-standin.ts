// A GitHub REST API stand-in on loopback (node:http, ephemeral port) for the endpoints `dvx ci comment` uses, with
// GitHub's contract: bearer/token auth (401 "Bad credentials" otherwise), GET /user (403 for the Actions token),
// issue comments (list with per_page (default 30, max 100) and page, and a Link header pointing at
// /repositories/{id}/..., as GitHub does; create; PATCH /repos/{o}/{r}/issues/comments/{id}), commit → pull
// requests, commit comments (list, create, PATCH /repos/{o}/{r}/comments/{id}), 403 "Resource not accessible by
// integration" for tokens without write access, 422 for bodies over 65,536 characters. Faults can be injected
// (a status once, before or after the request is carried out, with headers such as Retry-After).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Account {
  login: string;
  id: number;
  type: "User" | "Bot";
  /** The Actions GITHUB_TOKEN (an installation token): GET /user answers 403. */
  installation?: boolean;
  /** False: every write answers 403 (a fork PR's read-only token). */
  canWrite?: boolean;
}

export const ACTIONS_BOT: Account = { login: "github-actions[bot]", id: 41898282, type: "Bot", installation: true };

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  on: { kind: "issue"; number: number } | { kind: "commit"; sha: string };
}

export interface Fault {
  method?: string;
  /** Matched against the path without the API prefix, e.g. /repos/o/r/issues/7/comments. */
  path: RegExp;
  status: number;
  /** How many requests it hits (default 1). */
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Carry the request out first, then answer with the fault (a 502 after the comment was created). */
  after?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
}

export interface GitHubStandin {
  /** The API base, e.g. http://127.0.0.1:PORT or http://127.0.0.1:PORT/api/v3 (Enterprise-style). */
  apiUrl: string;
  repository: string;
  repositoryId: number;
  /** token → account */
  accounts: Map<string, Account>;
  comments: StoredComment[];
  /** commit sha → the pull requests GET /repos/{o}/{r}/commits/{sha}/pulls lists */
  pullsByCommit: Map<string, { number: number; state: "open" | "closed"; head: { sha: string } }[]>;
  faults: Fault[];
  requests: LoggedRequest[];
  /** Echo the Authorization header in 401 bodies, to prove the client redacts what servers say. */
  echoAuthInErrors: boolean;
  addComment(on: StoredComment["on"], body: string, author: Account): StoredComment;
  commentsOn(on: StoredComment["on"]): StoredComment[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "x-github-api-version-selected": "2022-11-28",
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    ...headers,
  });
  res.end(body === undefined ? "" : JSON.stringify(body));
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

export async function startGitHubStandin(opts: { prefix?: string; repository?: string } = {}): Promise<GitHubStandin> {
  const prefix = opts.prefix ?? "";
  let nextId = 1_000_000;
  let clock = Date.parse("2026-01-01T00:00:00Z");
  const s: GitHubStandin = {
    apiUrl: "",
    repository: opts.repository ?? "octo-org/demo",
    repositoryId: 123456789,
    accounts: new Map(),
    comments: [],
    pullsByCommit: new Map(),
    faults: [],
    requests: [],
    echoAuthInErrors: false,
    addComment(on, body, author) {
      const at = new Date((clock += 1000)).toISOString();
      const c: StoredComment = {
        id: nextId++,
        body,
        user: { login: author.login, id: author.id, type: author.type },
        created_at: at,
        updated_at: at,
        on,
      };
      s.comments.push(c);
      return c;
    },
    commentsOn(on) {
      return s.comments.filter((c) =>
        on.kind === "issue"
          ? c.on.kind === "issue" && c.on.number === on.number
          : c.on.kind === "commit" && c.on.sha === on.sha,
      );
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const base = (): string => s.apiUrl;
  const view = (c: StoredComment): Record<string, unknown> => {
    const html =
      c.on.kind === "issue"
        ? `https://github.example/${s.repository}/pull/${c.on.number}#issuecomment-${c.id}`
        : `https://github.example/${s.repository}/commit/${c.on.sha}#commitcomment-${c.id}`;
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${base()}/repos/${s.repository}/${c.on.kind === "issue" ? "issues/" : ""}comments/${c.id}`,
      html_url: html,
      body: c.body,
      user: { ...c.user, node_id: `U_${c.user.id}`, site_admin: false },
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: "MEMBER",
      ...(c.on.kind === "commit" ? { commit_id: c.on.sha, path: null, position: null, line: null } : {}),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || "/" : url.pathname;
    const method = req.method ?? "GET";
    const body = method === "POST" || method === "PATCH" ? await readBody(req) : "";
    const fault = s.faults.find((f) => (f.method ?? method) === method && f.path.test(path) && (f.times ?? 1) > 0);
    const fire = (): void => {
      fault!.times = (fault!.times ?? 1) - 1;
      json(res, fault!.status, fault!.body ?? { message: `injected ${fault!.status}` }, fault!.headers);
    };
    if (fault && !fault.after) return fire();
    const auth = req.headers.authorization ?? "";
    const m = /^(?:Bearer|token) (.+)$/i.exec(auth);
    const account = m ? s.accounts.get(m[1]!) : undefined;
    if (!account)
      return json(res, 401, {
        message: s.echoAuthInErrors ? `Bad credentials (got '${auth}')` : "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
        status: "401",
      });
    const forbidden = (): void =>
      json(res, 403, {
        message: "Resource not accessible by integration",
        documentation_url: "https://docs.github.com/rest",
        status: "403",
      });
    const notFound = (): void => json(res, 404, { message: "Not Found", status: "404" });
    const repoRe = `(?:/repos/${s.repository}|/repositories/${s.repositoryId})`;
    let r: RegExpExecArray | null;
    const done = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      if (fault?.after) return fire();
      json(res, status, payload, headers);
    };
    const write = (then: () => void): void => {
      if (account.canWrite === false) return forbidden();
      const parsed = JSON.parse(body || "{}") as { body?: unknown };
      if (typeof parsed.body !== "string")
        return json(res, 422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', status: "422" });
      if (parsed.body.length > 65536)
        return json(res, 422, {
          message: "Validation Failed",
          errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long" }],
          status: "422",
        });
      then();
    };

    if (method === "GET" && path === "/user") {
      if (account.installation) return forbidden();
      return done(200, { login: account.login, id: account.id, type: account.type, site_admin: false });
    }
    if ((r = new RegExp(`^${repoRe}/(issues/(\\d+)|commits/([0-9a-f]+))/comments$`).exec(path))) {
      const on: StoredComment["on"] =
        r[2] !== undefined ? { kind: "issue", number: Number(r[2]) } : { kind: "commit", sha: r[3]! };
      if (method === "GET") return list(url, s.commentsOn(on).map(view), path, done);
      if (method === "POST")
        return write(() => done(201, view(s.addComment(on, (JSON.parse(body) as { body: string }).body, account))));
    }
    if ((r = new RegExp(`^${repoRe}/(issues/)?comments/(\\d+)$`).exec(path)) && method === "PATCH") {
      const c = s.comments.find((x) => x.id === Number(r![2]) && (x.on.kind === "issue") === (r![1] !== undefined));
      if (!c) return notFound();
      return write(() => {
        c.body = (JSON.parse(body) as { body: string }).body;
        c.updated_at = new Date((clock += 1000)).toISOString();
        done(200, view(c));
      });
    }
    if ((r = new RegExp(`^${repoRe}/commits/([0-9a-f]+)/pulls$`).exec(path)) && method === "GET")
      return list(url, s.pullsByCommit.get(r[1]!) ?? [], path, done);
    return notFound();
  };

  const list = (
    url: URL,
    items: unknown[],
    path: string,
    done: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void => {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    // GitHub's links name the repository by id
    const linkPath = path.replace(`/repos/${s.repository}`, `/repositories/${s.repositoryId}`);
    const link = (p: number, rel: string): string =>
      `<${base()}${linkPath}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = [
      ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
      ...(page > 1 ? [link(1, "first"), link(page - 1, "prev")] : []),
    ];
    done(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(", ") } : {});
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const log: LoggedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      headers: { ...req.headers },
      status: 0,
    };
    s.requests.push(log);
    const end = res.end.bind(res);
    res.end = ((...a: Parameters<typeof end>) => {
      log.status = res.statusCode;
      return end(...a);
    }) as typeof res.end;
    handle(req, res).catch((err: unknown) => json(res, 500, { message: String(err) }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  s.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return s;
}
