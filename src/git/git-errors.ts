// Failures of the git adapter that have no class in src/errors.ts. git.ts translates
// isomorphic-git errors into these (or into RevisionNotFoundError / NotARepoError).

import { AppError, EXIT } from "../errors.js";
import { redactUrls } from "./system-git.js";

/** A short hash that matches more than one object. */
export class AmbiguousRevisionError extends AppError {
  constructor(rev: string, matches: string[]) {
    super("AMBIGUOUS_REVISION", EXIT.failed, `short hash '${rev}' is ambiguous (${matches.length} objects match)`, {
      hint: "type more characters of the hash",
      details: { rev, matches: matches.slice(0, 10) },
    });
  }
}

/** Revision syntax that dvx does not implement (reflog `@{…}`, `:path`, ranges, `^{tree}`...). */
export class UnsupportedRevisionError extends AppError {
  constructor(rev: string, reason: string) {
    super("UNSUPPORTED_REVISION", EXIT.usage, `cannot resolve git revision '${rev}': ${reason}`, {
      hint: 'pass a branch, tag, hash or one of those followed by ~N / ^N (resolve others with "git rev-parse")',
      details: { rev, reason },
    });
  }
}

/** Any other failure while reading or writing the git repository (corrupt object, permissions...). */
export class GitError extends AppError {
  constructor(operation: string, dir: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super("GIT_FAILED", EXIT.failed, `git ${operation} failed in '${dir}': ${why}`, {
      hint: 'check the repository with "git status" and "git fsck"',
      details: { operation, dir },
      cause,
    });
  }
}

/** A repository layout isomorphic-git cannot read correctly (a linked worktree made by `git worktree add`). */
export class UnsupportedRepositoryError extends AppError {
  constructor(dir: string, reason: string) {
    super("UNSUPPORTED_REPOSITORY", EXIT.failed, `cannot use the git repository at '${dir}': ${reason}`, {
      hint: "run dvx in the main work tree of the repository (or a plain clone)",
      details: { dir, reason },
    });
  }
}

/** A ref is being updated by another process (its `.lock` file exists), or a killed one left the lock behind. */
export class RefLockedError extends AppError {
  constructor(ref: string, lockFile: string) {
    super("REF_LOCKED", EXIT.failed, `git ref '${ref}' is locked by another process`, {
      hint: `wait for it to finish; if no git or dvx process runs, remove '${lockFile}' (or run "dvx exp clean")`,
      details: { ref, lockFile },
    });
  }
}

/** A compare-and-swap on a ref failed: it no longer holds the value the command started from. */
export class RefChangedError extends AppError {
  constructor(
    readonly ref: string,
    readonly expected: string | null,
    readonly actual: string | null,
  ) {
    super(
      "REF_CHANGED",
      EXIT.failed,
      expected === null
        ? `git ref '${ref}' already exists`
        : `git ref '${ref}' changed while the command ran (expected ${expected.slice(0, 7)}, found ${
            actual === null ? "nothing" : actual.slice(0, 7)
          })`,
      { hint: "run the command again", details: { ref, expected, actual } },
    );
  }
}

/** `git push` / `git fetch` / `git ls-remote` against a git remote failed (unreachable, rejected, denied). */
export class GitRemoteError extends AppError {
  constructor(operation: string, remoteAsGiven: string, reasonAsGiven: string, hint?: string) {
    // a remote URL may carry credentials (https://user:token@host): never in a message
    const remote = redactUrls(remoteAsGiven);
    const reason = redactUrls(reasonAsGiven);
    super("GIT_REMOTE_FAILED", EXIT.remoteIo, `git ${operation} to/from '${remote}' failed: ${reason}`, {
      hint:
        hint === undefined ? `check the remote with "git remote -v" and "git ls-remote ${remote}"` : redactUrls(hint),
      details: { operation, remote, reason },
    });
  }
}
