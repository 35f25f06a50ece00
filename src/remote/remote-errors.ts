// Errors raised by the remote adapters. Every failure leaving remote/ is a RemoteError (exit 7) with one of
// the stable codes below, or RemoteObjectMissingError (exit 5) when a key that should exist is absent.
// Messages name the remote by its display URL; credentials never appear anywhere (see redact()).

import { AppError, EXIT, RemoteError } from "../errors.js";
import type { Details } from "../errors.js";

export const REMOTE_CODES = {
  auth: "REMOTE_AUTH",
  bucketMissing: "REMOTE_BUCKET_MISSING",
  unreachable: "REMOTE_UNREACHABLE",
  io: "REMOTE_IO",
  permission: "REMOTE_PERMISSION",
  diskFull: "REMOTE_DISK_FULL",
  readOnly: "REMOTE_READ_ONLY",
  truncated: "REMOTE_TRUNCATED",
} as const;

export type RemoteCode = (typeof REMOTE_CODES)[keyof typeof REMOTE_CODES];

/** A key that does not exist on the remote (get of a missing object). */
export class RemoteObjectMissingError extends AppError {
  constructor(remote: string, key: string, cause?: unknown) {
    super("REMOTE_OBJECT_MISSING", EXIT.integrity, `'${key}' does not exist on the remote '${remote}'`, {
      hint: "push it from a cache that has it, or check that the remote URL is the one the data was pushed to",
      details: { remote, key },
      cause,
    });
  }
}

export function remoteError(
  code: RemoteCode,
  message: string,
  hint: string | undefined,
  details: Details,
  cause?: unknown,
): RemoteError {
  return new RemoteError(code, message, { hint, details, cause });
}

/** Replace every occurrence of each secret (length >= 4) with "***". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join("***");
  }
  return out;
}

/**
 * A plain Error that keeps only what is safe to show from a third-party error (name, code, status, message with
 * secrets redacted). SDK errors carry request/response internals (signing strings, access key ids), so they
 * are never chained as `cause` as they are.
 */
export function safeCause(err: unknown, secrets: readonly string[]): Error {
  if (!(err instanceof Error)) return new Error(redact(String(err), secrets));
  const e = err as Error & { code?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const out = new Error(redact(e.message, secrets)) as Error & { code?: string; status?: number; requestId?: string };
  out.name = e.name;
  if (typeof e.code === "string") out.code = e.code;
  if (e.$metadata?.httpStatusCode !== undefined) out.status = e.$metadata.httpStatusCode;
  if (e.$metadata?.requestId !== undefined) out.requestId = e.$metadata.requestId;
  out.stack = `${out.name}: ${out.message}`;
  return out;
}

/** True for the AbortError raised when the caller's AbortSignal fires. Aborts are rethrown, never mapped. */
export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted === true) return true;
  return err instanceof Error && (err.name === "AbortError" || (err as { code?: unknown }).code === "ABORT_ERR");
}
