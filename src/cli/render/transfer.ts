// push / fetch / pull summaries on stderr, worded as DVC words them.
import type { FetchResult } from "../../core/ops/fetch.js";
import type { PullResult } from "../../core/ops/pull.js";
import type { PushResult } from "../../core/ops/push.js";
import { checkoutLines } from "./checkout.js";

const UP_TO_DATE = "Everything is up to date.\n";
const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

const runs = (n: number | undefined, verb: string): string =>
  n ? `${n} run-cache ${n === 1 ? "entry" : "entries"} ${verb}\n` : "";

export function pushText(res: PushResult): string {
  const missing = res.missingLocally.length;
  let text = res.pushed === 0 && missing === 0 ? UP_TO_DATE : `${plural(res.pushed, "file")} pushed\n`;
  if (missing > 0) text += `${plural(missing, "file")} missing from the cache and the remote, not pushed\n`;
  return text + runs(res.runCache, "pushed");
}

export const fetchText = (res: Pick<FetchResult, "fetched" | "runCache">): string =>
  (res.fetched === 0 ? UP_TO_DATE : `${plural(res.fetched, "file")} fetched\n`) + runs(res.runCache, "fetched");

export function pullText(res: PullResult): string {
  const changed = res.checkout.changed;
  return (
    checkoutLines("A", changed) +
    (res.fetch.fetched === 0 && changed.length === 0
      ? UP_TO_DATE
      : `${plural(res.fetch.fetched, "file")} fetched, ${plural(changed.length, "output")} checked out\n`)
  );
}
