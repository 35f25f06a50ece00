// The experiment hash DVC writes into an experiment's commit message (docs/formats.md §11.1, §13.4):
// SHA-256 of Python json.dumps(sort_keys=True) of {stage name: dvc.lock entry} for the stages the run reproduced
// (DVC's BaseExecutor.hash_exp over to_lockfile(stage)); no stage reproduced gives the hash of "{}".
import { createHash } from "node:crypto";
import { pyJsonDumps } from "../util/py-json.js";

/** `entries`: stage name (as in dvc.lock, e.g. "train" or "train@1") → its lock entry (floats as PyFloat). */
export function expHash(entries: Readonly<Record<string, unknown>>): string {
  return createHash("sha256").update(pyJsonDumps(entries)).digest("hex");
}

/** The commit message of an experiment, as DVC writes it (no trailing newline). */
export function expCommitMessage(hash: string): string {
  return `dvc: commit experiment ${hash}`;
}
