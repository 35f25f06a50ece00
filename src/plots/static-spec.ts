// A filled spec as a static picture needs: DVC's templates carry layers that only show while the mouse hovers
// (a hover rule per x value with opacity 0, a nearest-point voronoi, a highlighted cell). Drawn statically they
// are invisible but cost most of the time and the bytes (a 3 × 10k-point `linear` plot: ~4×). They are dropped
// here, for drawing only; `--json` keeps DVC's spec. When anything else still refers to a hover selection, the
// spec is left as it is.

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const onHover = (on: Json): boolean => typeof on === "string" && /mouseover|pointerover|mousemove|pointermove/.test(on);

/** Names of selections driven by the mouse hovering (Vega-Lite 5 `params` and the older `selection`). */
function hoverSelections(spec: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(spec)) for (const v of spec) hoverSelections(v, out);
  if (!isObj(spec)) return out;
  if (Array.isArray(spec.params))
    for (const p of spec.params)
      if (isObj(p) && typeof p.name === "string" && isObj(p.select) && onHover(p.select.on)) out.add(p.name);
  if (isObj(spec.selection))
    for (const [name, sel] of Object.entries(spec.selection)) if (isObj(sel) && onHover(sel.on)) out.add(name);
  for (const v of Object.values(spec)) hoverSelections(v, out);
  return out;
}

const refersTo = (v: Json, names: Set<string>): boolean =>
  isObj(v) &&
  ((typeof v.param === "string" && names.has(v.param)) || (typeof v.selection === "string" && names.has(v.selection)));

/** A layer that shows nothing until hovered: opacity 0 unless selected, or data filtered by a hover selection. */
function hoverOnly(layer: Obj, names: Set<string>): boolean {
  const enc = isObj(layer.encoding) ? layer.encoding : {};
  const opacity = enc.opacity;
  if (isObj(opacity) && opacity.value === 0 && refersTo(opacity.condition, names)) return true;
  const transforms = Array.isArray(layer.transform) ? layer.transform : [];
  return transforms.some((t) => isObj(t) && refersTo(t.filter, names));
}

function strip(spec: Json, names: Set<string>): Json {
  if (Array.isArray(spec)) return spec.map((v) => strip(v, names));
  if (!isObj(spec)) return spec;
  const out: Obj = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === "layer" && Array.isArray(v))
      out[k] = v.filter((l) => !(isObj(l) && hoverOnly(l, names))).map((l) => strip(l, names));
    else if (k === "values")
      out[k] = v; // data: never walked
    else out[k] = strip(v, names);
  }
  return out;
}

function mentions(spec: Json, names: Set<string>): boolean {
  if (Array.isArray(spec)) return spec.some((v) => mentions(v, names));
  if (!isObj(spec)) return false;
  if (refersTo(spec, names)) return true;
  if (Array.isArray(spec.params) && spec.params.some((p) => isObj(p) && names.has(p.name as string))) return true;
  if (isObj(spec.selection) && Object.keys(spec.selection).some((n) => names.has(n))) return true;
  return Object.entries(spec).some(([k, v]) => k !== "values" && mentions(v, names));
}

/** `spec` without its hover-only layers (or `spec` itself when that would leave dangling references). */
export function staticSpec(spec: Record<string, Json>): Record<string, Json> {
  const names = hoverSelections({ ...spec, data: null });
  if (names.size === 0) return spec;
  const stripped = strip(spec, names) as Record<string, Json>;
  return mentions({ ...stripped, data: null }, names) ? spec : stripped;
}
