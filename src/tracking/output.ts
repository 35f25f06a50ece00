// The tracked-output model shared by status, diff, checkout, push and pull: one entry per piece of data
// recorded in a .dvc pointer file or in dvc.lock, with repo-relative paths.
import type { HashInfo } from "../odb/types.js";

export interface Output {
  /** Repo-relative POSIX path of the data. */
  path: string;
  /** Repo-relative path of the file that records it: "data.csv.dvc" or "dvc.lock" / "sub/dvc.lock". */
  owner: string;
  /** Stage name for pipeline outputs (the key in dvc.lock); undefined for pointer files. */
  stage?: string;
  hash?: HashInfo;
  size?: number;
  nfiles?: number;
  isexec?: boolean;
  cache: boolean;
  push: boolean;
  remote?: string;
}

/** How ops name the owner in messages and status keys: "data.csv.dvc" or "train@small" / "sub/dvc.yaml:train". */
export function ownerLabel(o: Output): string {
  if (o.stage === undefined) return o.owner;
  const dir = o.owner.includes("/") ? o.owner.slice(0, o.owner.lastIndexOf("/") + 1) : "";
  return dir === "" ? o.stage : `${dir}dvc.yaml:${o.stage}`;
}

export const isDirOutput = (o: Output): boolean => o.hash?.value.endsWith(".dir") === true;
