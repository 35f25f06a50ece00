// A .dvc file in a repro plan is a data source (DVC's "Verifying data sources"): nothing runs, but data that
// changed since it was added is saved again (its .dvc file updated, as `dvx commit` does) so the stages that
// use it see a recorded version; data missing from the workspace is an error unless --allow-missing.
import type { PointerRecord } from "../data/collect.js";
import { checkoutOutputs } from "../data/checkout-outputs.js";
import { outputState } from "../data/output-state.js";
import { savePointerOutput } from "../data/save-pointer.js";
import { DataSourceMissingError } from "./errors.js";
import type { ReproContext, StageOutcome } from "./run-stage.js";

export async function reproDataSource(ctx: ReproContext, rec: PointerRecord): Promise<StageOutcome> {
  const started = Date.now();
  const changed: string[] = [];
  const missing: string[] = [];
  for (const out of rec.outs) {
    const st = await outputState(ctx.repo, out, false);
    if (st.status === "ok") continue;
    if (st.current === null) missing.push(out.path);
    else changed.push(out.path);
  }
  const done = (action: StageOutcome["action"], reasons: string[]): StageOutcome => ({
    stage: rec.file,
    action,
    reasons,
    durationMs: Date.now() - started,
  });
  if (missing.length > 0 && ctx.puller) {
    ctx.say(rec.file, `Pulling data for '${rec.file}'`);
    await ctx.puller.fetch(rec.outs);
    await checkoutOutputs(ctx.repo, rec.outs, {});
    ctx.repo.hashMemo?.clear();
    return reproDataSource({ ...ctx, puller: undefined }, rec);
  }
  if (missing.length > 0 && !ctx.flags.allowMissing) throw new DataSourceMissingError(rec.file, missing);
  if (changed.length === 0) return done("unchanged", []);
  if (!ctx.flags.dry) ctx.say(rec.file, `Verifying data sources in '${rec.file}': saving changed data`);
  const reasons = changed.map((p) => `data changed: ${p}`);
  if (ctx.flags.dry) return done("would run", reasons);
  for (const path of changed) {
    const { touched } = await savePointerOutput(ctx.repo, path, rec.file, rec, { store: !ctx.flags.noCommit });
    touched.forEach((t) => ctx.touched.add(t));
  }
  return done("ran", reasons);
}
