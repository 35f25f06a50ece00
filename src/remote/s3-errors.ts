// Classifies SDK / network failures (retryable or not) and translates them into RemoteError with stable
// codes at the adapter boundary. Works on the error's shape (name, $metadata, Node errno), not on SDK
// classes, so it needs no SDK import.

import type { AppError } from "../errors.js";
import { REMOTE_CODES, RemoteObjectMissingError, redact, remoteError, safeCause } from "./remote-errors.js";

/** Raised by S3Remote.get when fewer bytes arrived than the response's Content-Length announced. */
export class TruncatedBodyError extends Error {
  constructor(
    readonly received: number,
    readonly expected: number,
  ) {
    super(`the response body ended after ${received} of ${expected} bytes`);
    this.name = "TruncatedBodyError";
  }
}

interface ErrorShape {
  name: string;
  message: string;
  status?: number;
  errno?: string;
}

const THROTTLING = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
]);
const TRANSIENT_NAMES = new Set([
  "InternalError",
  "ServiceUnavailable",
  "RequestTimeout",
  "RequestTimeoutException",
  "IncompleteBody",
  "TimeoutError",
  "TruncatedBodyError",
  "PriorRequestNotComplete",
  "PreconditionFailed",
]);
const TRANSIENT_ERRNO = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);
const AUTH_NAMES = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "InvalidToken",
  "ExpiredToken",
  "TokenRefreshRequired",
  "AllAccessDisabled",
  "InvalidSecurity",
  "CredentialsProviderError",
  "AccountProblem",
  "Forbidden",
  "Unauthorized",
]);
const UNREACHABLE_ERRNO = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
]);

function shape(err: unknown): ErrorShape {
  const e = (err ?? {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    errors?: unknown;
  };
  let errno = typeof e.code === "string" ? e.code : undefined;
  if (errno === undefined && Array.isArray(e.errors)) {
    const first = e.errors[0] as { code?: unknown } | undefined; // AggregateError from happy-eyeballs connects
    if (typeof first?.code === "string") errno = first.code;
  }
  const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
  return {
    name: typeof e.name === "string" ? e.name : "Error",
    message: typeof e.message === "string" ? e.message : String(err),
    ...(status === undefined ? {} : { status }),
    ...(errno === undefined ? {} : { errno }),
  };
}

export function isNotFound(err: unknown): boolean {
  const s = shape(err);
  return (
    s.name === "NotFound" ||
    s.name === "NoSuchKey" ||
    (s.status === 404 && s.name !== "NoSuchBucket" && s.name !== "NoSuchUpload")
  );
}

export function isRetryableS3Error(err: unknown): boolean {
  const s = shape(err);
  // The SDK already retried connection timeouts; retrying them again here would multiply the wait.
  if (s.name === "TimeoutError" && /establish a connection/.test(s.message)) return false;
  if (THROTTLING.has(s.name) || TRANSIENT_NAMES.has(s.name)) return true;
  if (s.status !== undefined && (s.status === 429 || s.status >= 500)) return true;
  if (s.errno !== undefined && TRANSIENT_ERRNO.has(s.errno)) return true;
  return /socket hang up|^aborted$|premature close|other side closed/i.test(s.message);
}

export interface S3ErrorContext {
  /** Display URL of the remote (s3://bucket/prefix). */
  url: string;
  bucket: string;
  endpoint?: string;
  /** Remote name from the config, for runnable hints. */
  name?: string;
  secrets: readonly string[];
}

export function mapS3Error(err: unknown, action: string, key: string | undefined, ctx: S3ErrorContext): AppError {
  const s = shape(err);
  const cause = safeCause(err, ctx.secrets);
  const remoteName = ctx.name ?? "<name>";
  const target = key === undefined ? `'${ctx.url}'` : `'${key}' on '${ctx.url}'`;
  const details = {
    remote: ctx.url,
    bucket: ctx.bucket,
    endpoint: ctx.endpoint ?? null,
    ...(key === undefined ? {} : { key }),
    status: s.status ?? null,
    reason: s.errno ?? s.name,
  };
  if (s.name === "NoSuchKey" || (key !== undefined && isNotFound(err) && action !== "list")) {
    return new RemoteObjectMissingError(ctx.url, key ?? "", cause);
  }
  if (s.name === "NoSuchBucket") {
    return remoteError(
      REMOTE_CODES.bucketMissing,
      `the bucket '${ctx.bucket}' of '${ctx.url}' does not exist`,
      `create the bucket, or point the remote at an existing one with "dvx remote modify ${remoteName} url s3://<bucket>/<prefix>"`,
      details,
      cause,
    );
  }
  if (AUTH_NAMES.has(s.name) || s.status === 401 || s.status === 403) {
    const why =
      s.name === "CredentialsProviderError" ? "no AWS credentials were found" : `access was denied (${s.name})`;
    return remoteError(
      REMOTE_CODES.auth,
      `cannot ${action} ${target}: ${why}`,
      `check the credentials: "dvx remote modify --local ${remoteName} access_key_id <id>" and "secret_access_key", ` +
        `or the AWS profile ("profile", AWS_PROFILE, ~/.aws/credentials)`,
      details,
      cause,
    );
  }
  if (err instanceof TruncatedBodyError) {
    return remoteError(
      REMOTE_CODES.truncated,
      `cannot ${action} ${target}: ${err.message}, even after retries`,
      "the connection to the remote is unreliable; run the command again",
      { ...details, received: err.received, expected: err.expected },
      cause,
    );
  }
  if ((s.errno !== undefined && UNREACHABLE_ERRNO.has(s.errno)) || s.name === "TimeoutError") {
    const where = ctx.endpoint ?? "the S3 endpoint";
    return remoteError(
      REMOTE_CODES.unreachable,
      `cannot reach ${where} to ${action} ${target}: ${s.errno ?? s.name}`,
      `check the endpoint with "dvx remote modify ${remoteName} endpointurl <url>" and your network connection`,
      details,
      cause,
    );
  }
  const reason = redact(
    s.status === undefined ? `${s.name}: ${s.message}` : `${s.name} (HTTP ${s.status}): ${s.message}`,
    ctx.secrets,
  );
  return remoteError(
    REMOTE_CODES.io,
    `cannot ${action} ${target}: ${reason}`,
    isRetryableS3Error(err) ? "the remote kept failing; run the command again later" : undefined,
    details,
    cause,
  );
}
