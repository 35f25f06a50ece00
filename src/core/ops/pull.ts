// dvx pull = fetch + checkout of the same outputs. What could be fetched is checked out even when
// some objects failed; the transfer error is reported afterwards. When checkout will place plain copies,
// the workspace copy of each large file is written while its object downloads (no second pass over it).
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { TransferError } from "../../errors.js";
import { placesAsCopies } from "../../odb/link.js";
import { withLock } from "../lock.js";
import type { Repo } from "../repo.js";
import { checkoutOutputs, type CheckoutResult } from "../data/checkout-outputs.js";
import { COPY_PREFIX, fetchOp, type FetchOptions, type FetchResult } from "./fetch.js";

export interface PullOptions extends FetchOptions {
  force?: boolean;
}

export interface PullResult {
  fetch: Omit<FetchResult, "outputs" | "prepared">;
  checkout: CheckoutResult;
}

/** Copies a killed pull left behind (we hold the lock: no other dvx run is using them). */
async function removeLeftoverCopies(tmpDir: string): Promise<void> {
  const names = (await readdir(tmpDir)).filter((n) => n.startsWith(COPY_PREFIX));
  await Promise.all(names.map((n) => rm(join(tmpDir, n), { force: true })));
}

export async function pullOp(repo: Repo, opts: PullOptions): Promise<PullResult> {
  return withLock(repo, "dvx pull", async () => {
    let prepared = new Map<string, string>();
    try {
      let fetched: FetchResult;
      let transferError: TransferError | undefined;
      // the linker prepares its files in .dvc/tmp: probe the link types between the cache and there
      await mkdir(repo.tmpDir, { recursive: true });
      await removeLeftoverCopies(repo.tmpDir);
      const prepareCopies = await placesAsCopies(repo.linkTypes, repo.odb.root, repo.tmpDir);
      try {
        fetched = await fetchOp(repo, { ...opts, noLock: true, allBranches: false, allTags: false, prepareCopies });
      } catch (err) {
        const partial = (err as { result?: FetchResult }).result;
        if (!(err instanceof TransferError) || !partial) throw err;
        transferError = err;
        fetched = partial;
      }
      const { outputs, prepared: copies, ...fetch } = fetched;
      prepared = copies;
      const ready = outputs.filter((o) => o.hash !== undefined);
      let checkout: CheckoutResult;
      try {
        checkout = await checkoutOutputs(repo, ready, { force: opts.force === true, prepared });
      } catch (err) {
        throw transferError ?? err;
      }
      if (transferError) throw transferError;
      return { fetch, checkout };
    } finally {
      // copies that checkout did not move into place (unchanged or refused outputs)
      await Promise.all([...prepared.values()].map((p) => rm(p, { force: true })));
    }
  });
}
