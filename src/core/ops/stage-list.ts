// dvx stage list: the stages of dvc.yaml files (and, with --all, every stage and .dvc file of the project),
// each with its description or DVC's generated summary of what it outputs, reports or depends on.
import { AppError } from "../../errors.js";
import type { Stage } from "../../pipeline/types.js";
import type { PointerRecord } from "../data/collect.js";
import { displayNames } from "../pipeline/address.js";
import { loadProject } from "../pipeline/project.js";
import { resolveNodes } from "../pipeline/targets.js";
import type { Repo } from "../repo.js";

export interface StageListOptions {
  cwd: string;
  /** Default: ["dvc.yaml"] (the pipeline of the current directory). */
  targets: string[];
  all?: boolean;
  recursive?: boolean;
}

export interface StageListEntry {
  /** Address as DVC shows it, relative to the current directory. */
  name: string;
  /** The first non-empty line of `desc`, or the generated summary (not shortened). */
  description: string;
  desc: string | null;
  deps: string[];
  outs: string[];
  /** Outputs that are metrics or plots. */
  reports: string[];
  frozen: boolean;
}

// Python's str.splitlines() boundaries (\r\n counts as one): \n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029
const PY_BREAKS = new Set([10, 13, 11, 12, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

function pySplitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!PY_BREAKS.has(text.charCodeAt(i))) continue;
    lines.push(text.slice(start, i));
    if (text[i] === "\r" && text[i + 1] === "\n") i++;
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

interface Parts {
  desc?: string;
  deps: string[];
  outs: string[];
  reports: string[];
  frozen: boolean;
}

/** DVC's generate_description: what the stage outputs and reports, or depends on. */
export function describeStage(p: Parts): string {
  const first = pySplitLines(p.desc ?? "")
    .find((l) => l !== "")
    ?.trim();
  if (first !== undefined) return first;
  if (p.deps.length === 0 && p.outs.length + p.reports.length === 0) return "No outputs or dependencies";
  if (p.outs.length + p.reports.length === 0) return `Depends on ${p.deps.join(", ")}`;
  const parts: string[] = [];
  if (p.outs.length > 0) parts.push(`Outputs ${p.outs.join(", ")}`);
  if (p.reports.length > 0) parts.push(`Reports ${p.reports.join(", ")}`);
  return parts.join("; ");
}

function stageParts(stage: Stage): Parts {
  return {
    ...(stage.desc !== undefined ? { desc: stage.desc } : {}),
    deps: [...stage.deps.map((d) => d.decl), ...stage.params.map((p) => p.decl)],
    outs: stage.outs.filter((o) => o.kind === "outs").map((o) => o.decl),
    reports: stage.outs.filter((o) => o.kind !== "outs").map((o) => o.decl),
    frozen: stage.frozen,
  };
}

function pointerParts(rec: PointerRecord): Parts {
  const deps = rec.pf.deps.map((d) =>
    d !== null && typeof d === "object" && typeof (d as { path?: unknown }).path === "string"
      ? (d as { path: string }).path
      : String(d),
  );
  return {
    ...(rec.pf.desc !== undefined ? { desc: rec.pf.desc } : {}),
    deps,
    outs: rec.pf.outs.map((o) => o.path),
    reports: [],
    frozen: rec.pf.frozen === true,
  };
}

export async function stageListOp(repo: Repo, opts: StageListOptions): Promise<StageListEntry[]> {
  const project = await loadProject(repo);
  let ids: string[];
  if (opts.all) ids = project.graph.nodes.map((n) => n.id);
  else {
    const picked = new Set<string>();
    for (const t of opts.targets.length > 0 ? opts.targets : ["dvc.yaml"]) {
      for (const id of resolveNodes(repo, project, opts.cwd, [t], { recursive: opts.recursive === true })) {
        picked.add(id);
      }
    }
    ids = [...picked];
  }
  const names = displayNames(repo, project, opts.cwd);
  const pointers = new Map(project.pointers.map((p) => [p.file, p] as const));
  return ids.map((id) => {
    const stage = project.stages.get(id);
    const rec = pointers.get(id);
    if (!stage && !rec) throw new AppError("INTERNAL", 70, `internal: unknown node '${id}'`);
    const p = stage ? stageParts(stage) : pointerParts(rec!);
    return {
      name: names.node(id),
      description: describeStage(p),
      desc: p.desc ?? null,
      deps: p.deps,
      outs: p.outs,
      reports: p.reports,
      frozen: p.frozen,
    };
  });
}
