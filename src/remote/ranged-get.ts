// Parallel ranged download of one large object into a file: parts are fetched `concurrency` at a time, each
// written at its offset in one writev, and fed to the tap strictly in order (a hash needs the bytes in order).
// A part waits for its predecessors to be fed before its worker takes the next part, so at most
// `concurrency` parts are held in memory. Transport-neutral: the S3 adapter supplies the requests.
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { runPool } from "../util/pool.js";
import { planParts } from "./multipart.js";
import { TruncatedBodyError } from "./s3-errors.js";
import type { DataTap } from "./types.js";

export interface RangedGetPlan {
  /** Size of the object (from the response to the first request). */
  total: number;
  partSize: number;
  concurrency: number;
  /** The first request's body (the whole object): the first part is taken from it, the rest is dropped. Without
   * it, the first part is fetched by range like the others. */
  first?: Readable;
  /** Body of the bytes start..end (inclusive) of the same object version. */
  fetch(start: number, end: number, signal: AbortSignal): Promise<Readable>;
  destPath: string;
  tap?: DataTap;
  signal?: AbortSignal;
}

/**
 * Reads exactly `length` bytes; with `rest: "drop"` the stream may go on (the rest is dropped), else it must end
 * there.
 */
async function readPart(body: Readable, length: number, rest: "drop" | "error"): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of body as AsyncIterable<Buffer>) {
      const need = length - n;
      if (c.length > need) {
        if (rest === "error") throw new TruncatedBodyError(n + c.length, length);
        if (need > 0) chunks.push(c.subarray(0, need));
        n = length;
        break;
      }
      chunks.push(c);
      n += c.length;
      if (n === length && rest === "drop") break;
    }
  } finally {
    body.destroy();
  }
  if (n !== length) throw new TruncatedBodyError(n, length);
  return chunks;
}

interface Gate {
  promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((res) => (open = res));
  return { promise, open };
}

export async function rangedGet(plan: RangedGetPlan): Promise<void> {
  const parts = planParts(plan.total, plan.partSize);
  const fed = parts.map(gate); // fed[i] opens once part i went through the tap
  const inner = new AbortController();
  const failed = new Promise<never>((_, reject) =>
    inner.signal.addEventListener("abort", () => reject(inner.signal.reason), { once: true }),
  );
  failed.catch(() => undefined);
  const onOuterAbort = (): void => inner.abort(plan.signal?.reason);
  plan.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const fh = await open(plan.destPath, "w");
  try {
    await runPool(
      parts.length,
      plan.concurrency,
      async (i) => {
        const p = parts[i]!;
        const whole = i === 0 ? plan.first : undefined;
        const body = whole ?? (await plan.fetch(p.start, p.end, inner.signal));
        const chunks = await readPart(body, p.length, whole === undefined ? "error" : "drop");
        await fh.writev(chunks, p.start);
        if (i > 0) await Promise.race([fed[i - 1]!.promise, failed]);
        if (plan.tap) for (const c of chunks) plan.tap.update(c);
        fed[i]!.open();
      },
      () => inner.abort(new Error("another part failed")),
    );
  } finally {
    if (plan.first !== undefined && !plan.first.destroyed) plan.first.destroy();
    plan.signal?.removeEventListener("abort", onOuterAbort);
    await fh.close();
  }
}
