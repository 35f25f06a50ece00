// Brings outputs to their recorded versions from the cache (checkout, pull, repro restoring a stage): plan
// every output first, refuse to overwrite unsaved changes unless forced, then place the files.
import { CheckoutError, UncommittedChangesError } from "../../errors.js";
import { Linker } from "../../odb/link.js";
import type { Output } from "../../tracking/output.js";
import type { Repo } from "../repo.js";
import { applyMaterialize, planMaterialize, type MaterializePlan } from "./materialize.js";
import { outputState } from "./output-state.js";

export interface CheckoutResult {
  /** Output paths that were (re)materialised. */
  changed: string[];
  unchanged: number;
  /** Outputs that could not be restored because objects are missing from the cache. */
  failed: Array<{ path: string; missing: number }>;
  linkType?: string;
  /** Files whose copy was written during the download (pull) and only moved into place here. */
  prepared?: number;
  warnings: string[];
}

export interface CheckoutOutputsOptions {
  force?: boolean;
  relink?: boolean;
  /** Copies written beforehand (pull), by cache object path: moved into place instead of copied. */
  prepared?: Map<string, string>;
}

export async function checkoutOutputs(
  repo: Repo,
  outputs: Output[],
  opts: CheckoutOutputsOptions,
  warnings: string[] = [],
): Promise<CheckoutResult> {
  const plans: MaterializePlan[] = [];
  for (const out of outputs) {
    const st = await outputState(repo, out);
    plans.push(planMaterialize(repo, out, st.current, st.recordedEntries, opts.relink === true));
  }
  const unsaved = plans.flatMap((p) => p.unsaved);
  if (unsaved.length > 0 && !opts.force) throw new UncommittedChangesError(unsaved, "checkout");
  const linker = new Linker(repo.linkTypes, repo.umask, repo.tmpDir, opts.prepared);
  const total = plans.reduce((n, p) => n + p.place.length, 0);
  const progress = repo.reporter.progress("checkout", total, "files");
  const result: CheckoutResult = { changed: [], unchanged: 0, failed: [], warnings };
  for (const plan of plans) {
    if (plan.unchanged) {
      result.unchanged++;
      continue;
    }
    if (plan.missing.length > 0) {
      result.failed.push({ path: plan.output.path, missing: plan.missing.length });
      continue; // leave the workspace as it is rather than half-restore it
    }
    await applyMaterialize(repo, plan, linker, (b, n) => progress.advance(n, b));
    result.changed.push(plan.output.path);
  }
  progress.done();
  if (linker.used) result.linkType = linker.used;
  if (linker.preparedUsed > 0) result.prepared = linker.preparedUsed;
  await repo.state().save();
  if (result.failed.length > 0) {
    throw new CheckoutError(
      result.failed.map((f) => f.path),
      "objects are missing from the cache",
      'download them with "dvx pull" (or "dvx fetch" then "dvx checkout")',
    );
  }
  return result;
}
