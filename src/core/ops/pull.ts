// dvx pull = fetch + checkout of the same outputs. What could be fetched is checked out even when
// some objects failed; the transfer error is reported afterwards.
import { TransferError } from "../../errors.js";
import { acquireLock } from "../lock.js";
import type { Repo } from "../repo.js";
import { checkoutOutputs, type CheckoutResult } from "./checkout.js";
import { fetchOp, type FetchOptions, type FetchResult } from "./fetch.js";

export interface PullOptions extends FetchOptions {
  force?: boolean;
}

export interface PullResult {
  fetch: Omit<FetchResult, "outputs">;
  checkout: CheckoutResult;
}

export async function pullOp(repo: Repo, opts: PullOptions): Promise<PullResult> {
  const lock = await acquireLock(repo.tmpDir, "dvx pull", opts.lockTimeoutMs);
  try {
    let fetched: FetchResult;
    let transferError: TransferError | undefined;
    try {
      fetched = await fetchOp(repo, { ...opts, noLock: true, allBranches: false, allTags: false });
    } catch (err) {
      const partial = (err as { result?: FetchResult }).result;
      if (!(err instanceof TransferError) || !partial) throw err;
      transferError = err;
      fetched = partial;
    }
    const { outputs, ...fetch } = fetched;
    const ready = outputs.filter((o) => o.hash !== undefined);
    let checkout: CheckoutResult;
    try {
      checkout = await checkoutOutputs(repo, ready, { force: opts.force === true });
    } catch (err) {
      throw transferError ?? err;
    }
    if (transferError) throw transferError;
    return { fetch, checkout };
  } finally {
    await lock.release();
  }
}
