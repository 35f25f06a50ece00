// A minimal GitHub REST client over global fetch: bearer token, JSON, `Link` pagination, and retries of 5xx,
// network errors and rate limits (honouring Retry-After / x-ratelimit-reset) within one time budget shared by
// every request of the client. The token never leaves this module: server messages are redacted before they
// reach an error, and pagination never follows a link to another host.
import { AuthenticationError, ConfigError } from "../errors.js";
import { GitHubApiError, GitHubUnavailableError } from "./github-errors.js";
import { backoffMs, retryDelayMs, type RetryDecision } from "./github-retry.js";

export const DEFAULT_API_URL = "https://api.github.com";
const API_VERSION = "2022-11-28";
const MAX_PAGES = 1000;

export interface GitHubClientOptions {
  token: string;
  /** The name of the variable the token came from (for messages). */
  tokenEnv: string;
  apiUrl?: string;
  userAgent: string;
  /** Total time the client may spend waiting between retries and on requests that are retried. */
  retryBudgetMs?: number;
  requestTimeoutMs?: number;
  /** Called before each wait, for logs (never with the token). */
  onRetry?: (info: { method: string; path: string; status: number | undefined; waitMs: number }) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /**
   * For POST: whether a 5xx or a network error may be retried blindly. False (the default for POST) means the
   * caller is told (GitHubUnavailableError with reason server/network) and decides, since the request may have
   * been carried out. Rate-limit answers are always retried: GitHub did not carry those requests out.
   */
  retryUnsafe?: boolean;
}

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

export class GitHubClient {
  readonly apiUrl: string;
  private readonly base: URL;
  private readonly deadline: number;

  constructor(private readonly opts: GitHubClientOptions) {
    this.base = parseApiUrl(opts.apiUrl || DEFAULT_API_URL);
    this.base.username = ""; // credentials in the URL would end up in messages
    this.base.password = "";
    this.apiUrl = this.base.href.replace(/\/+$/, "");
    this.deadline = Date.now() + (opts.retryBudgetMs ?? 60_000);
  }

  /** Replaces the token (and its URL-encoded form) with "***" in any text that may be shown. */
  redact(text: string): string {
    let out = text;
    for (const t of new Set([this.opts.token, encodeURIComponent(this.opts.token)]))
      if (t.length > 0) out = out.split(t).join("***");
    return out;
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  /** Waits the backoff of retry number `attempt` when the time budget allows it; false when it does not. */
  async backoff(method: string, path: string, status: number | undefined, attempt: number): Promise<boolean> {
    const waitMs = backoffMs(attempt);
    if (waitMs > this.remainingMs()) return false;
    this.opts.onRetry?.({ method, path: this.redact(path), status, waitMs });
    await this.sleep(waitMs);
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return this.opts.sleep ? this.opts.sleep(ms) : new Promise<void>((r) => setTimeout(r, ms));
  }

  async request<T>(method: string, pathOrUrl: string, ro: RequestOptions = {}): Promise<GitHubResponse<T>> {
    const url = this.resolve(pathOrUrl);
    const shown = this.redact(url.pathname + url.search);
    const unsafe = method === "POST" && ro.retryUnsafe !== true;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method,
          headers: this.headers(ro.body !== undefined),
          body: ro.body === undefined ? undefined : JSON.stringify(ro.body),
          signal: AbortSignal.timeout(
            Math.max(1000, Math.min(this.opts.requestTimeoutMs ?? 30_000, this.remainingMs())),
          ),
        });
        text = await res.text();
      } catch (err) {
        const detail = this.redact(describeNetworkError(err));
        const wait = backoffMs(attempt);
        if (unsafe || wait > this.remainingMs())
          throw new GitHubUnavailableError(method, shown, "network", attempt, { detail });
        this.opts.onRetry?.({ method, path: shown, status: undefined, waitMs: wait });
        await this.sleep(wait);
        continue;
      }
      if (res.ok)
        return {
          status: res.status,
          data: parseJson<T>(text, method, shown, res.status, (t) => this.redact(t)),
          headers: res.headers,
        };
      const serverMessage = this.redact(messageOf(text)).slice(0, 300);
      const decision: RetryDecision | undefined = retryDelayMs(res.status, res.headers, text, attempt, Date.now());
      if (decision === undefined) throw this.fail(method, shown, res.status, serverMessage);
      const { waitMs, reason } = decision;
      if ((unsafe && reason === "server") || waitMs > this.remainingMs())
        throw new GitHubUnavailableError(method, shown, reason, attempt, {
          status: res.status,
          detail:
            waitMs > this.remainingMs()
              ? `${serverMessage} (next try only in ${Math.ceil(waitMs / 1000)} s)`
              : serverMessage,
        });
      this.opts.onRetry?.({ method, path: shown, status: res.status, waitMs });
      await this.sleep(waitMs);
    }
  }

  /** Every item of a list endpoint: per_page=100, following `Link: rel="next"` on the same host. */
  async paginate<T>(path: string): Promise<T[]> {
    const first = this.resolve(path);
    first.searchParams.set("per_page", "100");
    const items: T[] = [];
    let next: string | undefined = first.href;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES)
        throw new GitHubApiError("GET", this.redact(first.pathname), 0, `more than ${MAX_PAGES} pages`);
      const res: GitHubResponse<T[]> = await this.request<T[]>("GET", next);
      if (!Array.isArray(res.data))
        throw new GitHubApiError("GET", this.redact(first.pathname), res.status, "not a list");
      items.push(...res.data);
      next = nextLink(res.headers.get("link"));
    }
    return items;
  }

  private headers(hasBody: boolean): Record<string, string> {
    return {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${this.opts.token}`,
      "x-github-api-version": API_VERSION,
      "user-agent": this.opts.userAgent,
      ...(hasBody ? { "content-type": "application/json" } : {}),
    };
  }

  /** A path under the API base, or an absolute URL that must stay on the API's host and path (Link headers). */
  private resolve(pathOrUrl: string): URL {
    if (/^https?:\/\//i.test(pathOrUrl)) {
      const u = new URL(pathOrUrl);
      if (u.origin !== this.base.origin || !u.pathname.startsWith(this.base.pathname))
        throw new GitHubApiError(
          "GET",
          this.redact(u.pathname),
          0,
          `refusing to follow a link to another host (${u.origin})`,
        );
      return u;
    }
    return new URL(this.apiUrl + (pathOrUrl.startsWith("/") ? pathOrUrl : `/${pathOrUrl}`));
  }

  private fail(method: string, path: string, status: number, serverMessage: string): Error {
    if (status === 401)
      return new AuthenticationError(
        "GitHub",
        this.apiUrl,
        this.opts.tokenEnv,
        status,
        `the token in '${this.opts.tokenEnv}' is invalid, expired or for another GitHub host` +
          (this.apiUrl === DEFAULT_API_URL ? " (for GitHub Enterprise set GITHUB_API_URL)" : ""),
      );
    return new GitHubApiError(method, path, status, serverMessage);
  }
}

function parseApiUrl(value: string): URL {
  const url = URL.canParse(value) ? new URL(value.replace(/\/*$/, "/")) : undefined;
  if (url?.protocol !== "https:" && url?.protocol !== "http:")
    throw new ConfigError(`GITHUB_API_URL is not an http(s) URL`, {
      hint: "leave it unset for github.com, or set it to https://HOST/api/v3 for GitHub Enterprise Server",
    });
  return url;
}

/** The URL of `rel="next"` in a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m && /\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(m[2]!)) return m[1];
  }
  return undefined;
}

function parseJson<T>(text: string, method: string, path: string, status: number, redact: (s: string) => string): T {
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    // SyntaxError: a proxy or captive portal answered instead of GitHub
    throw new GitHubApiError(method, path, status, `the answer is not JSON: ${redact(text).slice(0, 100)}`);
  }
}

const messageOf = (text: string): string => {
  try {
    const j = JSON.parse(text) as { message?: unknown };
    if (typeof j.message === "string") return j.message;
  } catch {
    // SyntaxError: not JSON (a proxy's HTML page); show its start
  }
  return text.replace(/\s+/g, " ").trim();
};

function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "the request timed out";
  return [e?.message, e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(": ");
}
