// Small helpers shared by the CLI test suites.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { expect } from "vitest";
import type { CliRun } from "./run-cli.js";
import type { TmpRepo } from "./tmp-repo.js";

export interface ErrorJson {
  code: string;
  message: string;
  hint: string | null;
  details: Record<string, unknown>;
}

/** The one JSON error object a --json run prints on stderr (stdout must stay empty). */
export function jsonError(res: CliRun): ErrorJson {
  expect(res.stdout).toBe("");
  return (JSON.parse(res.stderr.trim()) as { error: ErrorJson }).error;
}

/** Removes a tree that may hold read-only cache objects and directories. */
export function rmrf(path: string): void {
  if (!existsSync(path)) return;
  execFileSync("chmod", ["-R", "u+w", path]);
  rmSync(path, { recursive: true, force: true });
}

/** The md5 recorded in a pointer file. */
export function oidIn(r: TmpRepo, dvcFile: string): string {
  const m = /md5: ([0-9a-f]{32}(?:\.dir)?)/.exec(r.read(dvcFile));
  if (!m) throw new Error(`no md5 in ${dvcFile}`);
  return m[1]!;
}
