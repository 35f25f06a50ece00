// One base class for every failure dvx reports on purpose. Messages are built from typed fields;
// only cli/ renders them. Exit codes are documented in README.md ("Exit codes").

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  notARepo: 3,
  config: 4,
  integrity: 5,
  pipeline: 6,
  remoteIo: 7,
  lockBusy: 8,
  auth: 9,
  internal: 70,
  interrupted: 130,
} as const;

export type Details = Record<string, unknown>;

export interface AppErrorInit {
  hint?: string;
  details?: Details;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;
  readonly details?: Details;

  constructor(code: string, exitCode: number, message: string, init: AppErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    if (init.hint !== undefined) this.hint = init.hint;
    if (init.details !== undefined) this.details = init.details;
  }

  toJSON(): Details {
    return { code: this.code, message: this.message, hint: this.hint ?? null, details: this.details ?? {} };
  }
}

export class UsageError extends AppError {
  constructor(message: string, init?: AppErrorInit) {
    super("USAGE", EXIT.usage, message, init);
  }
}

export class NotARepoError extends AppError {
  constructor(dir: string) {
    super("NOT_A_REPO", EXIT.notARepo, `'${dir}' is not inside a git repository`, {
      hint: 'run "git init" first, or use "dvx init --no-scm" to work without git',
      details: { dir },
    });
  }
}

/** A DVC project below the top of its git work tree (`dvc init --subdir`): dvx reads revisions at the top only. */
export class SubdirProjectError extends AppError {
  constructor(dir: string, gitTop: string) {
    super(
      "SUBDIR_PROJECT",
      EXIT.notARepo,
      `'${dir}' is inside the git repository '${gitTop}' but not at its top: ` +
        "dvx does not support DVC projects in a subdirectory of a git repository (dvc init --subdir)",
      {
        hint: `keep the DVC project at '${gitTop}' (dvx init there), or use "dvx init --no-scm" to work without git`,
        details: { dir, gitTop },
      },
    );
  }
}

export class NotInitializedError extends AppError {
  constructor(dir: string) {
    super("NOT_INITIALIZED", EXIT.notARepo, `no .dvc directory found at or above '${dir}'`, {
      hint: 'run "dvx init" at the top of your git repository',
      details: { dir },
    });
  }
}

export class AlreadyInitializedError extends AppError {
  constructor(dir: string) {
    super("ALREADY_INITIALIZED", EXIT.failed, `'${dir}' already contains a .dvc directory`, {
      hint: 'use "dvx init -f" to recreate it (the cache under .dvc/cache is deleted too)',
      details: { dir },
    });
  }
}

export class ConfigError extends AppError {
  constructor(message: string, init?: AppErrorInit) {
    super("CONFIG", EXIT.config, message, init);
  }
}

export class RemoteNotFoundError extends AppError {
  constructor(name: string | undefined) {
    super(
      "REMOTE_NOT_FOUND",
      EXIT.config,
      name === undefined ? "no remote given and no default remote is set" : `remote '${name}' does not exist`,
      {
        hint:
          name === undefined
            ? 'add one with "dvx remote add -d <name> <url>" or pass "-r <name>"'
            : 'list the configured remotes with "dvx remote list"',
        details: name === undefined ? {} : { name },
      },
    );
  }
}

export class PathNotFoundError extends AppError {
  constructor(path: string, hint?: string) {
    super("PATH_NOT_FOUND", EXIT.failed, `'${path}' does not exist`, { hint, details: { path } });
  }
}

/** A user-given path that dvx refuses to work on (outside the repo, inside .git/.dvc, ignored...). */
export class BadTargetError extends AppError {
  constructor(path: string, reason: string, hint?: string) {
    super("BAD_TARGET", EXIT.failed, `cannot use '${path}': ${reason}`, { hint, details: { path, reason } });
  }
}

/** A path read from a manifest, pointer file or YAML that would escape the repo or cache. */
export class UnsafePathError extends AppError {
  constructor(path: string, source: string) {
    super(
      "UNSAFE_PATH",
      EXIT.integrity,
      `refusing path '${path}' from '${source}': it is absolute or leaves its directory`,
      {
        hint: "the file was edited by hand or is corrupt; fix or restore it from git",
        details: { path, source },
      },
    );
  }
}

export class PointerFileError extends AppError {
  constructor(file: string, reason: string) {
    super("BAD_POINTER_FILE", EXIT.config, `'${file}' is not a valid pointer file: ${reason}`, {
      hint: `fix it by hand or restore it with "git checkout -- ${file}"`,
      details: { file, reason },
    });
  }
}

export class ObjectMissingError extends AppError {
  constructor(oids: string[], where: string, hint?: string) {
    super(
      "OBJECT_MISSING",
      EXIT.integrity,
      `${oids.length} object(s) missing from the ${where}: ` +
        `${oids.slice(0, 3).join(", ")}${oids.length > 3 ? ", ..." : ""}`,
      { hint, details: { oids, where } },
    );
  }
}

export class CorruptObjectError extends AppError {
  constructor(oid: string, actual: string, where: string, path?: string) {
    super(
      "CORRUPT_OBJECT",
      EXIT.integrity,
      `object '${oid}' in the ${where} is corrupt (its content hashes to ${actual})`,
      {
        hint:
          where === "cache"
            ? 'remove it and run "dvx fetch" or "dvx add" again'
            : "the remote copy is damaged; push it again from a good cache",
        details: { oid, actual, where, ...(path ? { path } : {}) },
      },
    );
  }
}

export class FileChangedError extends AppError {
  constructor(path: string) {
    super("FILE_CHANGED", EXIT.failed, `'${path}' changed while it was being hashed`, {
      hint: "wait for whatever writes it to finish, then run the command again",
      details: { path },
    });
  }
}

export class CheckoutError extends AppError {
  constructor(paths: string[], reason: string, hint?: string) {
    super(
      "CHECKOUT_FAILED",
      EXIT.failed,
      `checkout failed for ${paths
        .slice(0, 3)
        .map((p) => `'${p}'`)
        .join(", ")}${paths.length > 3 ? ", ..." : ""}: ${reason}`,
      {
        hint,
        details: { paths, reason },
      },
    );
  }
}

export class UncommittedChangesError extends AppError {
  constructor(paths: string[], action: string) {
    super(
      "UNCOMMITTED_CHANGES",
      EXIT.failed,
      `${action} would overwrite changes that are not in the cache: ${paths
        .slice(0, 3)
        .map((p) => `'${p}'`)
        .join(", ")}${paths.length > 3 ? ", ..." : ""}`,
      {
        hint: `save them with "dvx commit" first, or use -f to discard them`,
        details: { paths },
      },
    );
  }
}

export class RevisionNotFoundError extends AppError {
  constructor(rev: string) {
    super("REVISION_NOT_FOUND", EXIT.failed, `unknown git revision '${rev}'`, {
      hint: 'check it with "git log --oneline" or "git branch -a"',
      details: { rev },
    });
  }
}

export class OutputConflictError extends AppError {
  constructor(path: string, owner: string) {
    super("OUTPUT_CONFLICT", EXIT.pipeline, `'${path}' is already an output of '${owner}'`, {
      hint: `change or remove '${owner}' first ("dvx remove ${owner}" for a .dvc file)`,
      details: { path, owner },
    });
  }
}

export class PipelineSchemaError extends AppError {
  constructor(file: string, reason: string, hint?: string) {
    super("PIPELINE_SCHEMA", EXIT.pipeline, `'${file}' is invalid: ${reason}`, {
      hint: hint ?? `fix '${file}' by hand: it must follow DVC's dvc.yaml/dvc.lock format`,
      details: { file, reason },
    });
  }
}

export class RemoteError extends AppError {
  constructor(code: string, message: string, init?: AppErrorInit) {
    super(code, EXIT.remoteIo, message, init);
  }
}

export class TransferError extends AppError {
  constructor(action: string, failed: string[], total: number, firstReason?: string) {
    super(
      "TRANSFER_FAILED",
      EXIT.failed,
      `${failed.length} of ${total} object(s) failed to ${action}` +
        `${firstReason ? ` (first error: ${firstReason})` : ""}`,
      {
        hint: `run the command again: what was transferred is kept and only the rest is retried`,
        details: { failed: failed.slice(0, 20), failedCount: failed.length, total },
      },
    );
  }
}

export class LockBusyError extends AppError {
  constructor(lockPath: string, holder: string, waitedMs: number) {
    super(
      "LOCK_BUSY",
      EXIT.lockBusy,
      `the repository is locked by ${holder} (waited ${Math.round(waitedMs / 1000)} s)`,
      {
        hint: "wait for that command to finish; if no such process runs, the lock is stale and dvx will take it over",
        details: { lockPath, holder },
      },
    );
  }
}

export class DiskFullError extends AppError {
  constructor(path: string, cause: unknown) {
    super("DISK_FULL", EXIT.failed, `no space left on the device while writing '${path}'`, {
      hint: 'free some space (for example "dvx gc -w") and run the command again',
      details: { path },
      cause,
    });
  }
}

/** A file dvx would create already exists and the command was not told to overwrite it. */
export class FileExistsError extends AppError {
  constructor(path: string, hint?: string) {
    super("FILE_EXISTS", EXIT.failed, `'${path}' already exists`, {
      hint: hint ?? "use -f to overwrite it",
      details: { path },
    });
  }
}

/**
 * An external service (GitHub, ...) rejected the credentials (HTTP 401). Names the variable that held them,
 * never their value.
 */
export class AuthenticationError extends AppError {
  constructor(service: string, endpoint: string, credential: string, status: number, hint?: string) {
    super(
      "AUTH_FAILED",
      EXIT.auth,
      `${service} rejected the credentials in '${credential}' (HTTP ${status} from ${endpoint})`,
      {
        hint: hint ?? `check that '${credential}' holds a valid, unexpired token for ${endpoint}`,
        details: { service, endpoint, credential, status },
      },
    );
  }
}

/** The user interrupted the command (Ctrl-C, SIGTERM); what finished is kept. */
export class InterruptedError extends AppError {
  constructor(readonly what: string) {
    super("INTERRUPTED", EXIT.interrupted, `${what} was interrupted`, {
      hint: "run it again: finished work is kept and only the rest runs",
      details: { what },
    });
  }
}
