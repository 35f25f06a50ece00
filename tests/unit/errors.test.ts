// Every AppError subclass in src/: unique SCREAMING_SNAKE code, exit code from the documented table,
// toJSON shape; plus the wording of the human renderer (docs/architecture.md §4).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { AppError, EXIT } from "../../src/errors.js";
import { renderError } from "../../src/cli/render/error.js";
import { REMOTE_CODES } from "../../src/remote/remote-errors.js";
import * as base from "../../src/errors.js";
import * as gitErrors from "../../src/git/git-errors.js";

// Direct imports for the renderer tests (the collection below is dynamic by design).
const classesSync = { ...base, ...gitErrors };

const ROOT = resolve(__dirname, "../..");

type ErrorClass = new (...args: never[]) => AppError;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

// Plausible constructor arguments for every AppError subclass. A new class without an entry fails the
// "every class has arguments here" test: add it (and think about its code and exit code).
const ARGS: Record<string, unknown[]> = {
  UsageError: ["unknown option '--nope'"],
  NotARepoError: ["/tmp/x"],
  SubdirProjectError: ["/tmp/x/ml", "/tmp/x"],
  NotInitializedError: ["/tmp/x"],
  AlreadyInitializedError: ["/tmp/x"],
  ConfigError: ["bad value for 'core.remote'"],
  RemoteNotFoundError: ["origin"],
  PathNotFoundError: ["data/raw.csv"],
  BadTargetError: ["../x", "it is outside the repository"],
  UnsafePathError: ["../../etc/passwd", "data.dvc"],
  PointerFileError: ["data.dvc", "'outs' is missing"],
  ObjectMissingError: [["60b725f10c9c85c70d97880dfe8191b3"], "cache"],
  CorruptObjectError: ["60b725f10c9c85c70d97880dfe8191b3", "3b5d5c3712955042212316173ccf37be", "cache"],
  FileChangedError: ["data/raw.csv"],
  CheckoutError: [["data/raw.csv"], "permission denied"],
  UncommittedChangesError: [["data/raw.csv"], "checkout"],
  RevisionNotFoundError: ["nope"],
  OutputConflictError: ["data/raw.csv", "raw.dvc"],
  PipelineSchemaError: ["dvc.yaml", "'stages.train.cmd' is missing"],
  RemoteError: [REMOTE_CODES.auth, "access denied by 's3://bucket/x'"],
  TransferError: ["push", ["60b725f10c9c85c70d97880dfe8191b3"], 3, "timeout"],
  LockBusyError: ["/r/.dvc/tmp/dvx.lock", "'dvx add' (pid 4242)", 20_000],
  DiskFullError: ["/r/.dvc/cache/files/md5/60/b7", Object.assign(new Error("ENOSPC"), { code: "ENOSPC" })],
  ConfigSyntaxError: [".dvc/config", 3, "unterminated section header"],
  RemoteExistsError: ["origin", ".dvc/config"],
  UnsupportedRemoteError: ["gcs", "gs"],
  ManifestError: ["60b725f10c9c85c70d97880dfe8191b3.dir", "not a list"],
  PipelineResolveError: ["dvc.yaml", "stages.train.cmd", "unknown variable 'lr'"],
  ParamsFileError: ["params.yaml", "not a mapping"],
  AmbiguousRevisionError: ["abc", ["abc1", "abc2"]],
  UnsupportedRevisionError: ["HEAD@{1}", "reflog syntax"],
  GitError: ["readCommit", "/r", new Error("corrupt object")],
  UnsupportedRepositoryError: ["/r/wt", "it is a linked worktree"],
  RemoteObjectMissingError: ["s3://bucket/x", "files/md5/60/b725f10c9c85c70d97880dfe8191b3"],
  FileExistsError: [".github/workflows/dvx-report.yml"],
  AuthenticationError: ["GitHub", "https://api.github.com", "GITHUB_TOKEN", 401],
  GitHubApiError: ["GET", "/repos/o/r/issues/7/comments", 404, "Not Found"],
  GitHubUnavailableError: ["POST", "/repos/o/r/issues/7/comments", "server", 3, { status: 502 }],
  InterruptedError: ["dvx repro"],
  OutputDuplicateError: ["model.pkl", "train", "train2"],
  OutputOverlapError: ["data", "prepare", "data/x.csv", "download"],
  CycleError: [["a", "b", "a"]],
  MissingDependencyError: ["train", "data/x.csv"],
  StageExistsError: ["train", "dvc.yaml"],
  ParametrizedStageError: ["train@1", "dvc.yaml", "freeze"],
  StagePathError: ["dvc.yaml", "train", "output", "../model.pkl"],
  ParamsMissingError: ["train", "params.yaml", ["lr"]],
  StageFailedError: ["train", 2, null],
  StageOutputMissingError: ["train", "model.pkl"],
  DataSourceMissingError: ["data.csv.dvc", ["data.csv"]],
  MetricsFileError: ["metrics.json", "Expecting value: line 1 column 1"],
  RevFileNotFoundError: ["eval/metrics.json", "HEAD~1"],
  NotInCacheError: ["eval/metrics.json", "HEAD~1", "60b725f10c9c85c70d97880dfe8191b3"],
  InvalidNameError: ["a b", "it contains a space or control character"],
  ExperimentExistsError: ["lr-small", "refs/exps/bb/bfc7339a2be86fcfd2cbea466d7f375efc4186/lr-small"],
  ExperimentNotFoundError: [["nope"]],
  AmbiguousExperimentError: ["x", ["refs/exps/aa/bb/x", "refs/exps/cc/dd/x"]],
  ParamOverrideError: ["train.lr.x=1", "'train.lr' is a number, not a mapping"],
  UnmergedIndexError: [["params.yaml"]],
  UnsavedChangesError: [["params.yaml"], "applying experiment 'x'"],
  ExperimentFailedError: ["x", "train", "stage 'train' failed: its command exited with code 2"],
  FilterSyntaxError: ["metrics.acc >> 1", 14, "unexpected '>'"],
  RunNotFoundError: ["20260101T000000Z-abcdef"],
  AmbiguousRunError: ["2026", ["20260101T000000Z-abcdef", "20260102T000000Z-123456"]],
  NoBaselineError: [],
  BranchExistsError: ["better-lr"],
  RefLockedError: ["refs/exps/aa/bb/x", "/r/.git/refs/exps/aa/bb/x.lock"],
  RefChangedError: ["refs/exps/aa/bb/x", null, "0123456789012345678901234567890123456789"],
  GitRemoteError: ["push", "origin", "the remote has a different commit for 'refs/exps/aa/bb/x'"],
  GitNotFoundError: ["git push"],
  GitIdentityError: ["no user.email is configured"],
  BaseCommitMissingError: ["f95f852bd8fca8fcc58a9a2d6c842781e32a215e"],
  QueueRunningError: ["'dvx queue start' (pid 4242)"],
  QueueActiveError: ["run by pid 4242 on host", "dvx gc"],
  QueueEntryNotFoundError: [["brisk-abac"]],
  QueueEntryAmbiguousError: ["x", ["0mxc2u0yy89b0", "0mxc2u0zc8851"]],
  QueueEntryStateError: ["x", "running", "remove", 'kill it first: "dvx queue kill x"'],
  QueueWorkspaceError: ["x", "git worktree failed: fatal: not a git repository"],
};

// Classes whose code is chosen by the caller (a family of codes sharing one exit code). Their possible
// codes are listed here and must be unique too.
const CODE_FAMILIES: Record<string, string[]> = {
  RemoteError: Object.values(REMOTE_CODES),
};

const EXIT_CODES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 130]);

/** src/ files that declare `class X extends Y` for Y = AppError or one of its subclasses (transitively). */
function declaredSubclasses(): Map<string, string> {
  const decls: { file: string; name: string; base: string }[] = [];
  for (const f of walk(join(ROOT, "src"))) {
    for (const m of readFileSync(f, "utf8").matchAll(/class\s+(\w+)\s+extends\s+(\w+)/g))
      decls.push({ file: relative(ROOT, f), name: m[1]!, base: m[2]! });
  }
  const out = new Map<string, string>(); // class name → file
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of decls) {
      if (!out.has(d.name) && (d.base === "AppError" || out.has(d.base))) {
        out.set(d.name, d.file);
        grew = true;
      }
    }
  }
  return out;
}

async function collectClasses(): Promise<Map<string, ErrorClass>> {
  const declared = declaredSubclasses();
  const classes = new Map<string, ErrorClass>();
  for (const file of new Set(declared.values())) {
    const mod = (await import(pathToFileURL(join(ROOT, file)).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function" && value.prototype instanceof AppError) classes.set(name, value as ErrorClass);
    }
  }
  return classes;
}

const build = (cls: ErrorClass, name: string): AppError => new cls(...(ARGS[name] as never[]));

describe("AppError subclasses", async () => {
  const declared = declaredSubclasses();
  const classes = await collectClasses();

  it("finds the classes in every module that defines them", () => {
    expect(declared.size).toBeGreaterThanOrEqual(30);
    const files = new Set(declared.values());
    for (const f of [
      "src/errors.ts",
      "src/config/errors.ts",
      "src/odb/tree.ts",
      "src/pipeline/errors.ts",
      "src/git/git-errors.ts",
      "src/remote/remote-errors.ts",
    ]) {
      expect(files).toContain(f);
    }
  });

  it("every declared subclass is exported (so callers can branch with instanceof)", () => {
    expect([...declared.keys()].filter((n) => !classes.has(n)).sort()).toEqual([]);
  });

  it("every class has constructor arguments in this test (and no stale entries)", () => {
    expect([...classes.keys()].filter((n) => !(n in ARGS)).sort()).toEqual([]);
    expect(
      Object.keys(ARGS)
        .filter((n) => !classes.has(n))
        .sort(),
    ).toEqual([]);
  });

  it("codes are SCREAMING_SNAKE and unique per class; exit codes come from the table", () => {
    const owner = new Map<string, string>();
    const problems: string[] = [];
    for (const [name, cls] of classes) {
      const e = build(cls, name);
      expect(e).toBeInstanceOf(AppError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
      if (!EXIT_CODES.has(e.exitCode)) problems.push(`${name}: exitCode ${e.exitCode}`);
      const codes = CODE_FAMILIES[name] ?? [e.code];
      if (CODE_FAMILIES[name]) expect(codes).toContain(e.code);
      for (const code of codes) {
        if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code))
          problems.push(`${name}: code '${code}' is not SCREAMING_SNAKE`);
        const prev = owner.get(code);
        if (prev !== undefined && prev !== name) problems.push(`code '${code}' used by ${prev} and ${name}`);
        owner.set(code, name);
      }
    }
    expect(problems).toEqual([]);
    expect(owner.has("INTERNAL")).toBe(false); // reserved for non-AppError failures
  });

  it("the exit code is fixed per class, whatever the arguments", () => {
    const { RemoteError } = Object.fromEntries(classes) as Record<string, ErrorClass>;
    for (const code of CODE_FAMILIES.RemoteError!)
      expect(new RemoteError!(...([code, "m"] as never[])).exitCode).toBe(EXIT.remoteIo);
  });

  it("messages have no trailing period and hints are non-empty when present", () => {
    for (const [name, cls] of classes) {
      const e = build(cls, name);
      expect(e.message, name).not.toMatch(/\.$/);
      expect(e.message.length, name).toBeGreaterThan(0);
      if (e.hint !== undefined) expect(e.hint.trim().length, name).toBeGreaterThan(0);
    }
  });

  it("toJSON() has exactly code/message/hint/details and is JSON-safe", () => {
    for (const [name, cls] of classes) {
      const e = build(cls, name);
      const j = e.toJSON();
      expect(Object.keys(j).sort(), name).toEqual(["code", "details", "hint", "message"]);
      expect(j.code).toBe(e.code);
      expect(j.message).toBe(e.message);
      expect(j.hint).toBe(e.hint ?? null);
      expect(typeof j.details === "object" && j.details !== null && !Array.isArray(j.details), name).toBe(true);
      expect(JSON.parse(JSON.stringify(j)), name).toEqual(j);
    }
  });

  it("the documented exit codes of the key classes", () => {
    const exit = (name: string): number => build(classes.get(name)!, name).exitCode;
    expect(exit("UsageError")).toBe(2);
    expect(exit("NotARepoError")).toBe(3);
    expect(exit("NotInitializedError")).toBe(3);
    expect(exit("ConfigError")).toBe(4);
    expect(exit("RemoteNotFoundError")).toBe(4);
    expect(exit("ObjectMissingError")).toBe(5);
    expect(exit("CorruptObjectError")).toBe(5);
    expect(exit("PipelineSchemaError")).toBe(6);
    expect(exit("OutputConflictError")).toBe(6);
    expect(exit("RemoteError")).toBe(7);
    expect(exit("LockBusyError")).toBe(8);
    expect(exit("AuthenticationError")).toBe(9);
    expect(exit("GitHubUnavailableError")).toBe(7);
    expect(exit("CheckoutError")).toBe(1);
    expect(exit("ParamOverrideError")).toBe(2);
    expect(exit("InvalidNameError")).toBe(2);
    expect(exit("ExperimentExistsError")).toBe(1);
    expect(exit("UnsavedChangesError")).toBe(1);
    expect(exit("GitRemoteError")).toBe(7);
    expect(exit("GitIdentityError")).toBe(4);
    expect(exit("TransferError")).toBe(1);
    expect(exit("QueueRunningError")).toBe(8);
    expect(exit("QueueActiveError")).toBe(8);
    expect(exit("QueueEntryStateError")).toBe(1);
  });

  it("keeps the cause (ES2022) without putting it into toJSON", () => {
    const cause = new Error("ENOSPC");
    const e = build(classes.get("DiskFullError")!, "DiskFullError");
    expect((e.cause as Error).message).toBe(cause.message);
    expect(JSON.stringify(e.toJSON())).not.toContain("ENOSPC");
  });
});

describe("renderError", () => {
  it("renders an AppError as error:/hint: lines", () => {
    const { LockBusyError, NotARepoError, ObjectMissingError } = classesSync;
    const lock = renderError(new LockBusyError("/r/.dvc/tmp/dvx.lock", "'dvx add' (pid 4242)", 20_000), {
      json: false,
      verbose: false,
    });
    expect(lock.exitCode).toBe(8);
    expect(lock.text).toMatchInlineSnapshot(`
      "error: the repository is locked by 'dvx add' (pid 4242) (waited 20 s)
      hint: wait for that command to finish; if no such process runs, the lock is stale and dvx will take it over
      "
    `);
    const repo = renderError(new NotARepoError("/tmp/x"), { json: false, verbose: false });
    expect(repo.exitCode).toBe(3);
    expect(repo.text).toMatchInlineSnapshot(`
      "error: '/tmp/x' is not inside a git repository
      hint: run "git init" first, or use "dvx init --no-scm" to work without git
      "
    `);
    const missing = renderError(new ObjectMissingError(["a", "b", "c", "d"], "cache"), { json: false, verbose: false });
    expect(missing.exitCode).toBe(5);
    expect(missing.text).toMatchInlineSnapshot(`
      "error: 4 object(s) missing from the cache: a, b, c, ...
      "
    `);
  });

  it("renders an authentication failure (exit 9) naming the variable, never its value", () => {
    const { AuthenticationError } = classesSync;
    const r = renderError(new AuthenticationError("GitHub", "https://api.github.com", "GITHUB_TOKEN", 401), {
      json: false,
      verbose: false,
    });
    expect(r.exitCode).toBe(9);
    expect(r.text).toMatchInlineSnapshot(`
      "error: GitHub rejected the credentials in 'GITHUB_TOKEN' (HTTP 401 from https://api.github.com)
      hint: check that 'GITHUB_TOKEN' holds a valid, unexpired token for https://api.github.com
      "
    `);
  });

  it("renders one JSON object with --json", () => {
    const { RemoteNotFoundError } = classesSync;
    const r = renderError(new RemoteNotFoundError("origin"), { json: true, verbose: false });
    expect(r.exitCode).toBe(4);
    expect(r.text.endsWith("\n")).toBe(true);
    expect(r.text.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.text)).toEqual({
      error: {
        code: "REMOTE_NOT_FOUND",
        message: "remote 'origin' does not exist",
        hint: 'list the configured remotes with "dvx remote list"',
        details: { name: "origin" },
      },
    });
  });

  it("shows the cause chain only with -v", () => {
    const { GitError } = classesSync;
    const e = new GitError("readCommit", "/r", new Error("inner failure", { cause: new Error("root cause") }));
    expect(renderError(e, { json: false, verbose: false }).text).not.toContain("caused by");
    const v = renderError(e, { json: false, verbose: true }).text;
    expect(v).toContain("caused by: Error: inner failure");
    expect(v).toContain("caused by: Error: root cause");
  });

  it("renders a non-AppError as an internal error (exit 70) with the bug line", () => {
    const r = renderError(new TypeError("x is undefined"), { json: false, verbose: false });
    expect(r.exitCode).toBe(70);
    expect(r.exitCode).toBe(EXIT.internal);
    expect(r.text).toMatch(/^internal error: x is undefined\n/);
    expect(r.text).toContain("TypeError: x is undefined\n    at "); // the stack
    expect(r.text).toContain('this is a bug, please report it with the output of "dvx --version"');
    const s = renderError("a thrown string", { json: false, verbose: false });
    expect(s.exitCode).toBe(70);
    expect(s.text).toMatch(/^internal error: a thrown string\n/);
  });

  it("renders a non-AppError as an INTERNAL JSON error with --json", () => {
    const r = renderError(new RangeError("boom"), { json: true, verbose: false });
    expect(r.exitCode).toBe(70);
    const body = JSON.parse(r.text) as { error: Record<string, unknown> };
    expect(body.error.code).toBe("INTERNAL");
    expect(body.error.message).toBe("boom");
    expect(String(body.error.hint)).toContain("this is a bug");
    expect(Object.keys(body.error).sort()).toEqual(["code", "details", "hint", "message"]);
  });
});
