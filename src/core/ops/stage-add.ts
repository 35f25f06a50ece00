// dvx stage add: write a stage into the dvc.yaml of the current directory exactly as DVC does (docs/formats.md
// §8.4), keeping the rest of the file byte for byte. Everything is checked before anything is written: the
// name, the paths, an existing stage of that name, and the whole project's graph with the new stage in it.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { BadTargetError, UsageError } from "../../errors.js";
import { toPosix } from "../../fsx/paths.js";
import { writeFileAtomic } from "../../fsx/atomic.js";
import { buildGraph } from "../../pipeline/graph.js";
import { ParametrizedStageError, StageExistsError } from "../../pipeline/errors.js";
import { isExternalPath, tryJoinRepo } from "../../pipeline/paths.js";
import { isPlainObject } from "../../pipeline/py-str.js";
import { buildStage } from "../../pipeline/stage-build.js";
import {
  invalidNameChars,
  parseParamsArgs,
  stageDefinition,
  type OutSpec,
  type StageSpec,
} from "../../pipeline/stage-write.js";
import type { OutKind, Stage } from "../../pipeline/types.js";
import { addIgnoreEntry } from "../../tracking/gitignore.js";
import { parseYaml, updateYamlText } from "../../util/yaml.js";
import { dumpYaml } from "../../util/yaml-dump.js";
import { applyGitFollowups, type GitFollowups } from "../git-followups.js";
import { withLock } from "../lock.js";
import { loadProject } from "../pipeline/project.js";
import type { Repo } from "../repo.js";

export interface StageAddOptions {
  cwd: string;
  name: string;
  cmd: string;
  deps?: string[];
  outs?: string[];
  outsNoCache?: string[];
  outsPersist?: string[];
  outsPersistNoCache?: string[];
  metrics?: string[];
  metricsNoCache?: string[];
  plots?: string[];
  plotsNoCache?: string[];
  /** `-p` arguments as given: `k1,k2`, `file:k1,k2`, `file:`. */
  params?: string[];
  wdir?: string;
  force?: boolean;
  alwaysChanged?: boolean;
  desc?: string;
}

export interface StageAddResult extends GitFollowups {
  stage: string;
  file: string;
  action: "added" | "modified";
  definition: Record<string, unknown>;
}

function outSpecs(o: StageAddOptions): OutSpec[] {
  const groups: Array<[string[] | undefined, OutKind, boolean, boolean]> = [
    [o.outsPersist, "outs", true, true],
    [o.outsPersistNoCache, "outs", false, true],
    [o.metricsNoCache, "metrics", false, false],
    [o.metrics, "metrics", true, false],
    [o.plotsNoCache, "plots", false, false],
    [o.plots, "plots", true, false],
    [o.outsNoCache, "outs", false, false],
    [o.outs, "outs", true, false],
  ];
  return groups.flatMap(([paths, kind, cache, persist]) =>
    (paths ?? []).map((path) => ({ path, kind, cache, persist, push: true, extra: {} })),
  );
}

/** Paths as DVC keeps them: as written, except an absolute path inside the repo becomes relative to wdir. */
function declPath(repo: Repo, wdirAbs: string, p: string): string {
  if (!p.startsWith("/") || toPosix(relative(repo.root, p)).startsWith("../")) return p;
  return toPosix(relative(wdirAbs, p)) || ".";
}

function checkPaths(wdirRel: string, spec: StageSpec): void {
  const seen = new Map<string, string>();
  const note = (decl: string, role: "dep" | "out"): void => {
    const p = tryJoinRepo(wdirRel, decl);
    if (p === null || p === "") {
      if (role === "dep" && isExternalPath(decl) && !decl.startsWith("/")) return; // a URL dependency
      throw new BadTargetError(decl, "it is outside the repository", "stage paths must stay inside the repository");
    }
    const other = seen.get(p);
    if (other !== undefined) {
      throw new UsageError(
        other !== role
          ? `'${decl}' is declared both as an output and as a dependency`
          : `'${decl}' is specified more than once`,
        { details: { path: p } },
      );
    }
    seen.set(p, role);
  };
  for (const d of spec.deps) note(d, "dep");
  for (const p of spec.params) note(p.file, "dep");
  for (const o of spec.outs) note(o.path, "out");
}

/** For -f over an existing stage: DVC keeps its desc and meta, and the annotations of outputs kept. */
function restoreFields(spec: StageSpec, old: Stage, newDesc: string | undefined): void {
  if (newDesc === undefined && old.desc !== undefined) spec.desc = old.desc;
  if (old.meta !== undefined) spec.meta = old.meta;
  const byDecl = new Map(old.outs.map((o) => [o.decl, o] as const));
  for (const out of spec.outs) {
    const prev = byDecl.get(out.path);
    if (!prev) continue;
    for (const k of ["desc", "type", "labels", "meta"]) if (prev.extra[k] !== undefined) out.extra[k] = prev.extra[k];
    if (prev.remote !== undefined) out.remote = prev.remote;
    out.push = prev.push;
  }
}

async function stageAddLocked(repo: Repo, o: StageAddOptions): Promise<StageAddResult> {
  const bad = invalidNameChars(o.name);
  if (o.name === "" || bad.length > 0) {
    throw new UsageError(`invalid stage name '${o.name}'`, {
      hint: "stage names may contain letters, digits, spaces, '_' and '-' (no other punctuation; '@' is reserved)",
      details: { name: o.name, chars: bad },
    });
  }
  if (o.cmd.trim() === "")
    throw new UsageError("no command given for the stage", { hint: "dvx stage add -n NAME CMD" });
  const file = toPosix(relative(repo.root, resolve(o.cwd, "dvc.yaml")));
  if (file.startsWith("../")) throw new BadTargetError(o.cwd, "it is outside the repository");
  const wdirAbs = resolve(o.cwd, o.wdir ?? ".");
  const wdirRel = toPosix(relative(repo.root, wdirAbs));
  if (wdirRel.startsWith("../") || wdirRel.startsWith("/")) {
    throw new BadTargetError(o.wdir ?? ".", "the working directory is outside the repository");
  }
  if (!existsSync(wdirAbs) || !statSync(wdirAbs).isDirectory()) {
    throw new BadTargetError(o.wdir ?? ".", "the working directory does not exist or is not a directory");
  }
  const spec: StageSpec = {
    cmd: o.cmd,
    wdir: toPosix(relative(resolve(o.cwd), wdirAbs)),
    deps: (o.deps ?? []).map((d) => (isExternalPath(d) && !d.startsWith("/") ? d : declPath(repo, wdirAbs, d))),
    params: parseParamsArgs(o.params ?? []),
    outs: outSpecs(o).map((s) => ({ ...s, path: declPath(repo, wdirAbs, s.path) })),
    frozen: false,
    alwaysChanged: o.alwaysChanged === true,
  };
  if (o.desc !== undefined && o.desc !== "") spec.desc = o.desc;
  checkPaths(wdirRel, spec);

  const abs = join(repo.root, file);
  const oldText = existsSync(abs) ? readFileSync(abs, "utf8") : null;
  const raw = oldText === null || oldText.trim() === "" ? {} : parseYaml(oldText, file, { keepFloats: true });
  const data = isPlainObject(raw) ? raw : {};
  const stagesRaw = isPlainObject(data.stages) ? data.stages : {};
  const existing = Object.prototype.hasOwnProperty.call(stagesRaw, o.name);
  if (existing) {
    const def = stagesRaw[o.name];
    if (isPlainObject(def) && ("foreach" in def || "matrix" in def)) {
      throw new ParametrizedStageError(o.name, file, "overwrite");
    }
    if (!o.force) throw new StageExistsError(o.name, file);
  }

  // the whole project's graph with the new stage in place of the old one: conflicts and cycles fail here
  const project = await loadProject(repo);
  const address = file === "dvc.yaml" ? o.name : `${file}:${o.name}`;
  const old = project.stages.get(address);
  if (old) restoreFields(spec, old, spec.desc);
  const definition = stageDefinition(spec);
  const stage = buildStage({ name: o.name, file, wdir: wdirRel, def: definition });
  const node = {
    id: stage.address,
    kind: "stage" as const,
    outs: stage.outs.map((x) => x.path),
    deps: stage.deps.filter((d) => !d.external).map((d) => d.path),
  };
  const nodes = project.graph.nodes.filter((n) => n.id !== address);
  buildGraph([...nodes, node]);

  const text =
    oldText === null || oldText.trim() === "" || Object.keys(data).length === 0
      ? dumpYaml({ ...data, stages: { ...stagesRaw, [o.name]: definition } })
      : updateYamlText(oldText, { ...data, stages: { ...stagesRaw, [o.name]: definition } }, file);
  await writeFileAtomic(abs, text);

  const touched = [file];
  for (const out of stage.outs) {
    if (!out.cache) continue;
    const gi = await addIgnoreEntry(repo.root, out.path, async () => {
      if (!repo.scm) return true;
      const { isIgnored } = await import("../../git/git.js");
      return isIgnored(repo.root, out.path);
    });
    if (gi) touched.push(gi);
  }
  const followups = await applyGitFollowups(repo, touched);
  return { stage: address, file, action: existing ? "modified" : "added", definition, ...followups };
}

export async function stageAddOp(repo: Repo, opts: StageAddOptions): Promise<StageAddResult> {
  return withLock(repo, "dvx stage add", () => stageAddLocked(repo, opts));
}
