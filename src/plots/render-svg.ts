// The only importer of `vega` and `vega-lite`: a filled Vega-Lite spec → a static SVG string, in Node, without a
// canvas, a DOM or the network. Loaded lazily (the two packages take ~0.4 s to load), only by ops that draw.
// Interactive parts (tooltips, zoom, hover rules) have no effect in a static picture; a `showValues` checkbox
// parameter (DVC's confusion template) is switched on so that the counts are printed in the cells.
import type * as VegaModule from "vega";
import type * as VegaLiteModule from "vega-lite";

export interface SvgResult {
  svg: string;
  /** What Vega-Lite and Vega warned about while compiling and running the spec. */
  warnings: string[];
}

let modules: Promise<[typeof VegaModule, typeof VegaLiteModule]> | undefined;
const load = (): Promise<[typeof VegaModule, typeof VegaLiteModule]> =>
  (modules ??= Promise.all([import("vega"), import("vega-lite")]));

/** Thrown for a spec that Vega-Lite or Vega rejects. */
export class ChartRenderError extends Error {}

function collectingLogger(warnings: string[]): VegaModule.LoggerInterface {
  const logger = {
    level(): number {
      return 2; // Warn
    },
    error(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger as unknown as VegaModule.LoggerInterface;
}

export async function renderSvg(spec: Record<string, unknown>): Promise<SvgResult> {
  const [vega, vl] = await load();
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  let runtime: VegaModule.Runtime;
  let showValues: boolean;
  try {
    const compiled = vl.compile(spec as unknown as VegaLiteModule.TopLevelSpec, { logger });
    showValues = compiled.spec.signals?.some((s) => s.name === "showValues") === true;
    runtime = vega.parse(compiled.spec);
  } catch (err) {
    throw new ChartRenderError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  const loader = vega.loader();
  const refuse = (): Promise<never> => Promise.reject(new Error("dvx draws plots from inline data only"));
  Object.assign(loader, { load: refuse, http: refuse, file: refuse });
  const view = new vega.View(runtime, { renderer: "none", logger, loader });
  try {
    if (showValues) view.signal("showValues", true);
    await view.runAsync();
    return { svg: await view.toSVG(), warnings };
  } catch (err) {
    throw new ChartRenderError(err instanceof Error ? err.message : String(err), { cause: err });
  } finally {
    view.finalize();
  }
}
