// Failures of GitHub REST calls other than a rejected token (AuthenticationError in errors.ts). Messages and
// details never carry the token: the client redacts what the server says before it gets here.
import { AppError, EXIT } from "../errors.js";

/** GitHub answered with a 4xx that a retry will not fix (404 repository, 403 permission, 422 validation). */
export class GitHubApiError extends AppError {
  readonly status: number;

  constructor(method: string, path: string, status: number, serverMessage: string, hint?: string) {
    super(
      "GITHUB_API_ERROR",
      EXIT.failed,
      `GitHub refused ${method} ${path} (HTTP ${status}${serverMessage ? `: ${serverMessage}` : ""})`,
      {
        hint:
          hint ??
          (status === 404
            ? "check GITHUB_REPOSITORY and GITHUB_API_URL, and that the token can read the repository"
            : undefined),
        details: { method, path, status, serverMessage },
      },
    );
    this.status = status;
  }
}

export type UnavailableReason = "network" | "server" | "rate-limit";

/** GitHub could not be reached, kept failing (5xx), or rate-limited us past the time budget. */
export class GitHubUnavailableError extends AppError {
  readonly reason: UnavailableReason;
  readonly status: number | undefined;

  constructor(
    method: string,
    path: string,
    reason: UnavailableReason,
    attempts: number,
    init: { status?: number; detail?: string; cause?: unknown } = {},
  ) {
    const what =
      reason === "network"
        ? `could not reach GitHub`
        : reason === "server"
          ? `GitHub kept failing (HTTP ${init.status ?? "5xx"})`
          : `GitHub rate-limited the requests (HTTP ${init.status ?? 429})`;
    super(
      "GITHUB_UNAVAILABLE",
      EXIT.remoteIo,
      `${what} for ${method} ${path} after ${attempts} attempt(s)${init.detail ? `: ${init.detail}` : ""}`,
      {
        hint:
          reason === "rate-limit"
            ? "run the job again later, or raise DVX_GITHUB_RETRY_SECONDS (default 60) to wait longer"
            : "check GITHUB_API_URL and the network; the command can be run again safely",
        details: { method, path, reason, attempts, ...(init.status !== undefined ? { status: init.status } : {}) },
        cause: init.cause,
      },
    );
    this.reason = reason;
    this.status = init.status;
  }
}
