// Experiment refs as DVC stores them (docs/formats.md §11.1): `refs/exps/<baseline[0:2]>/<baseline[2:]>/<name>`.
// A ref is an experiment exactly when it splits into those five parts; DVC's auxiliary refs under refs/exps/
// (stash, celery/*, apply/*, exec/*, temp/*) never do, and readers skip them.

export const EXPS_NAMESPACE = "refs/exps";

/** Auxiliary namespaces DVC keeps under refs/exps/ (queue stashes, run state, apply backups, temp runs). */
export const AUX_PREFIXES = [
  "refs/exps/stash",
  "refs/exps/celery/",
  "refs/exps/apply/",
  "refs/exps/exec/",
  "refs/exps/temp/",
] as const;

/** Auxiliary refs that hold queued work (DVC's queues): `exp clean` leaves them alone. */
export const QUEUE_REFS = ["refs/exps/stash", "refs/exps/celery/stash", "refs/exps/celery/failed"] as const;

export interface ExpRef {
  /** The full ref name. */
  ref: string;
  /** The baseline commit (40 hex digits). */
  baseline: string;
  name: string;
}

const HEX2 = /^[0-9a-f]{2}$/;
const HEX38 = /^[0-9a-f]{38}$/;

/** The ref of experiment `name` on `baseline` (a full 40-hex commit id). */
export function expRefName(baseline: string, name: string): string {
  if (!/^[0-9a-f]{40}$/.test(baseline)) throw new Error(`internal: not a full commit id: '${baseline}'`);
  return `${EXPS_NAMESPACE}/${baseline.slice(0, 2)}/${baseline.slice(2)}/${name}`;
}

/** The prefix under which every experiment of `baseline` lives (with a trailing slash). */
export function baselinePrefix(baseline: string): string {
  return `${EXPS_NAMESPACE}/${baseline.slice(0, 2)}/${baseline.slice(2)}/`;
}

/** The experiment a ref names, or null for anything else (auxiliary refs, other namespaces, odd shapes). */
export function parseExpRef(ref: string): ExpRef | null {
  const parts = ref.split("/");
  if (parts.length !== 5 || parts[0] !== "refs" || parts[1] !== "exps") return null;
  const [, , hi, lo, name] = parts as [string, string, string, string, string];
  if (!HEX2.test(hi) || !HEX38.test(lo) || name === "") return null;
  return { ref, baseline: hi + lo, name };
}

/** True for DVC's auxiliary refs under refs/exps/ (which `exp clean` may remove unless they hold a queue). */
export function isAuxRef(ref: string): boolean {
  return AUX_PREFIXES.some((p) => (p.endsWith("/") ? ref.startsWith(p) : ref === p || ref.startsWith(`${p}/`)));
}
