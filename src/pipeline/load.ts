// dvc.yaml → Pipeline: schema check, vars context, foreach/matrix expansion, `${}` interpolation and
// repo-relative paths. Reads every file through a TreeReader so it works at any git revision.
import type { TreeReader } from "../git/tree-reader.js";
import { PathNotFoundError, PipelineSchemaError } from "../errors.js";
import { parseYaml, YamlSyntaxError } from "../util/yaml.js";
import { VarsContext } from "./context.js";
import { PipelineResolveError, StagePathError } from "./errors.js";
import { expandDefinition, type Generated } from "./expand.js";
import { checkSyntax, hasInterpolation, InterpolationError, resolveData, resolveStr } from "./interpolate.js";
import { dirOf, isExternalPath, joinRepo, tryJoinRepo } from "./paths.js";
import { dvcToStr, isPlainObject, unwrapFloats } from "./py-str.js";
import { validateStageDef, validateTop, type RawStage } from "./schema.js";
import { buildStage, DEFAULT_PARAMS_FILE } from "./stage-build.js";
import type { Artifact, ParsingConfig, Pipeline, Stage } from "./types.js";

export interface LoadOptions {
  /** DVC's `parsing` config (how dicts in `cmd` become flags). */
  parsing?: ParsingConfig;
}

interface Env {
  reader: TreeReader;
  file: string;
  dir: string;
  parsing: ParsingConfig;
}

/** Loads and resolves `dvcYamlPath` (repo-relative POSIX). */
export async function loadPipeline(reader: TreeReader, dvcYamlPath: string, opts: LoadOptions = {}): Promise<Pipeline> {
  const file = dvcYamlPath;
  const buf = await reader.readFile(file);
  if (buf === null) throw new PathNotFoundError(file);
  let data: unknown;
  try {
    // Floats stay PyFloat while resolving (names like `grid@1.0`, commands like `--lr 1.0`).
    data = parseYaml(buf.toString("utf8"), file, { keepFloats: true });
  } catch (err) {
    if (err instanceof YamlSyntaxError) {
      throw new PipelineSchemaError(
        file,
        `invalid YAML: ${err.message}`,
        "fix the YAML at that line and column (usual causes: a key written twice, wrong indentation, an unclosed " +
          "bracket or quote)",
      );
    }
    throw err;
  }
  const stagesRaw = validateTop(data, file);
  const top = isPlainObject(data) ? data : {};
  const env: Env = { reader, file, dir: dirOf(file), parsing: opts.parsing ?? {} };

  const vars = Array.isArray(top.vars) ? (top.vars as unknown[]) : [];
  const ctx = VarsContext.empty();
  await guard(file, "vars", async () => {
    if (containsInterpolation(vars)) throw new InterpolationError("interpolating is not allowed");
    await ctx.loadVars(reader, vars, env.dir, { source: file, defaultFile: DEFAULT_PARAMS_FILE });
  });

  const stages: Stage[] = [];
  const seen = new Set<string>();
  for (const [name, rawDef] of Object.entries(stagesRaw)) {
    const def = validateStageDef(name, rawDef, file);
    const generated = await guard(file, `stages.${name}`, async () => {
      checkSyntax(def);
      return expandDefinition(name, def, ctx.data);
    });
    for (const gen of generated) {
      if (seen.has(gen.name)) {
        throw new PipelineSchemaError(
          file,
          `stage '${gen.name}' is defined more than once`,
          "stage names, including the ones foreach/matrix generate (name@key), must be unique in a dvc.yaml",
        );
      }
      seen.add(gen.name);
      stages.push(await resolveStage(env, ctx, gen));
    }
  }

  const topData = (await guard(file, "top-level sections", async () =>
    resolveData({ metrics: top.metrics ?? [], params: top.params ?? [], plots: top.plots ?? [] }, ctx.data),
  )) as Record<string, unknown[]>;
  return {
    file,
    stages,
    metrics: (topData.metrics ?? []).map((p) => topPath(env, p, "metrics")),
    params: (topData.params ?? []).map((p) => topPath(env, p, "params")),
    plots: (unwrapFloats(topData.plots) as unknown[] | undefined) ?? [],
    artifacts: await resolveArtifacts(env, ctx, top.artifacts),
  };
}

async function resolveStage(env: Env, base: VarsContext, gen: Generated): Promise<Stage> {
  const { name, template } = gen;
  const reserved = new Set(Object.keys(gen.temp));
  let ctx = Object.keys(gen.temp).length > 0 ? base.withTemporary(gen.temp) : base;
  const where = (key: string): string => `stages.${name}.${key}`;

  const wdirDecl = template.wdir;
  let wdir = env.dir;
  if (typeof wdirDecl === "string" && wdirDecl !== "") {
    const resolved = await guard(env.file, where("wdir"), async () => dvcToStr(resolveStr(wdirDecl, ctx.data)));
    const inside = tryJoinRepo(env.dir, resolved);
    if (inside === null) throw new StagePathError(env.file, name, "wdir", resolved);
    wdir = inside;
  }

  const { vars: stageVars, ...rest } = template;
  if (Array.isArray(stageVars) && stageVars.length > 0) {
    ctx = ctx.clone();
    const c = ctx;
    await guard(env.file, where("vars"), async () => {
      if (containsInterpolation(stageVars)) throw new InterpolationError("interpolating is not allowed");
      await c.loadVars(env.reader, stageVars, wdir, { source: env.file, stageName: name, reserved });
    });
  }

  const resolved: RawStage = {};
  for (const [key, value] of Object.entries(rest)) {
    resolved[key] = await guard(env.file, where(key), async () =>
      resolveData(value, ctx.data, { key, config: env.parsing }),
    );
  }
  return buildStage({
    name,
    ...(gen.group !== undefined ? { group: gen.group } : {}),
    file: env.file,
    wdir,
    def: resolved,
  });
}

function topPath(env: Env, p: unknown, section: string): string {
  if (typeof p !== "string") throw new PipelineSchemaError(env.file, `'${section}' entries must resolve to paths`);
  return joinRepo(env.dir, p, env.file);
}

async function resolveArtifacts(env: Env, ctx: VarsContext, raw: unknown): Promise<Record<string, Artifact>> {
  const out: Record<string, Artifact> = {};
  if (!isPlainObject(raw)) return out;
  for (const [rawName, rawDef] of Object.entries(raw)) {
    const { name, def } = await guard(env.file, `artifacts.${rawName}`, async () => ({
      name: resolveStr(rawName, ctx.data),
      def: resolveData(rawDef, ctx.data),
    }));
    if (typeof name !== "string")
      throw new PipelineSchemaError(env.file, `artifact name '${rawName}' must resolve to a string`);
    if (!isPlainObject(def) || typeof def.path !== "string")
      throw new PipelineSchemaError(env.file, `artifact '${name}' needs a 'path'`);
    const art: Artifact = {
      decl: def.path,
      path: isExternalPath(def.path) ? def.path : joinRepo(env.dir, def.path, env.file),
    };
    if (typeof def.type === "string") art.type = def.type;
    if (typeof def.desc === "string") art.desc = def.desc;
    if (Array.isArray(def.labels)) art.labels = def.labels.map(String);
    if (def.meta !== undefined) art.meta = unwrapFloats(def.meta);
    out[name] = art;
  }
  return out;
}

function containsInterpolation(v: unknown): boolean {
  if (typeof v === "string") return hasInterpolation(v);
  if (Array.isArray(v)) return v.some(containsInterpolation);
  if (isPlainObject(v)) return Object.entries(v).some(([k, x]) => hasInterpolation(k) || containsInterpolation(x));
  return false;
}

/** Runs `fn`, turning interpolation failures into PipelineResolveError for `where` in `file`. */
async function guard<T>(file: string, where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof InterpolationError) throw new PipelineResolveError(file, where, err.message);
    throw err;
  }
}
