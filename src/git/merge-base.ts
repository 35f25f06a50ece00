// `git merge-base A B`: a best common ancestor of two commits, one that no other common ancestor descends from.
// Every ancestor of A is marked; B's history is walked, stopping at marked commits (the candidates); candidates that
// are ancestors of other candidates are dropped. With several best ones (criss-cross merges) the newest is taken,
// where git may name another. Parents missing from a shallow clone end the walk there.
import { readObjectInfo } from "./git-read.js";

async function parentsOf(dir: string, oid: string): Promise<{ parents: string[]; time: number } | null> {
  const info = await readObjectInfo(dir, oid);
  return info?.type === "commit" ? { parents: info.parents, time: info.time } : null;
}

/** Walks from `starts` through parents; `stopAt` commits are collected and not walked past. */
async function walk(
  dir: string,
  starts: readonly string[],
  stopAt?: ReadonlySet<string>,
): Promise<{ seen: Set<string>; stopped: string[] }> {
  const seen = new Set<string>();
  const stopped: string[] = [];
  const stack = [...starts];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    const c = await parentsOf(dir, oid);
    if (c === null) continue;
    seen.add(oid);
    if (stopAt?.has(oid)) stopped.push(oid);
    else stack.push(...c.parents);
  }
  return { seen, stopped };
}

/** A best common ancestor of commits `a` and `b` (either may be it), or null when they share none here. */
export async function mergeBase(dir: string, a: string, b: string): Promise<string | null> {
  const ofA = (await walk(dir, [a])).seen;
  const candidates = (await walk(dir, [b], ofA)).stopped;
  if (candidates.length <= 1) return candidates[0] ?? null;
  const parents = (await Promise.all(candidates.map((c) => parentsOf(dir, c)))).flatMap((p) => p?.parents ?? []);
  const below = (await walk(dir, parents)).seen;
  const best = candidates.filter((c) => !below.has(c));
  const times = new Map(await Promise.all(best.map(async (c) => [c, (await parentsOf(dir, c))!.time] as const)));
  return best.sort((x, y) => times.get(y)! - times.get(x)! || (x < y ? -1 : 1))[0] ?? null;
}
