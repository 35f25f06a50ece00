// dvx checkout: make workspace data match the pointer files / dvc.lock, from the cache.
import { WorkspaceReader } from "../../git/workspace-reader.js";
import { collectOutputs } from "../data/collect.js";
import { withLock } from "../lock.js";
import { checkoutOutputs, type CheckoutResult } from "../data/checkout-outputs.js";
import type { Repo } from "../repo.js";
import { selectOutputs } from "../select.js";

export interface CheckoutOptions {
  cwd: string;
  targets: string[];
  force?: boolean;
  relink?: boolean;
  /** Take no lock (the caller holds it: pull). */
  noLock?: boolean;
}

export async function checkoutOp(repo: Repo, opts: CheckoutOptions): Promise<CheckoutResult> {
  const run = async (): Promise<CheckoutResult> => {
    const collected = await collectOutputs(new WorkspaceReader(repo.root), {
      workspace: { root: repo.root, ignore: repo.ignore },
    });
    const outputs = selectOutputs(repo, collected.outputs, opts.cwd, opts.targets).filter((o) => o.cache && o.hash);
    return checkoutOutputs(repo, outputs, opts, collected.warnings);
  };
  return opts.noLock ? run() : withLock(repo, "dvx checkout", run);
}
