// Layered (Sugiyama) layout of one connected DAG, computing the same coordinates as the layout DVC's
// `dag` drawing uses (grandalf's SugiyamaLayout with DVC's settings: ranks from the roots then pulled
// towards their successors, dummy vertices on long edges, 1.5 barycenter sweeps with one pass of adjacent
// swaps, Brandes–Köpf coordinates averaged over the four alignments, edges clipped to the boxes). Written
// from the algorithm's description; each step keeps the iteration orders that decide ties, so the ASCII
// drawing is byte-identical to DVC's for the same vertex and edge order. Coordinates are in characters.

export interface LayoutBox {
  label: string;
  w: number;
  h: number;
  /** Centre x, top-ish y (the layer's centre line), as grandalf sets `view.xy`. */
  x: number;
  y: number;
}

export interface Layout {
  boxes: LayoutBox[];
  /** One polyline per edge (tail, dummy points…, head), in edge order. */
  paths: Array<Array<[number, number]>>;
}

interface Edge {
  from: Vertex;
  to: Vertex;
  /** rank → vertex along a long edge (its ends and the dummies between them). */
  ctrl?: Map<number, Vertex>;
}

interface Vertex {
  dummy: boolean;
  label: string;
  w: number;
  h: number;
  /** Edges in attach order (real vertices only). */
  e: Edge[];
  rank: number;
  pos: number;
  bar: number;
  /** Layer neighbours: [-1] above, [+1] below. */
  nvs?: { up: Vertex[]; down: Vertex[] };
  ctrl?: Map<number, Vertex>;
  root: Vertex;
  align: Vertex;
  sink: Vertex;
  shift: number;
  X: number | null;
  xs: number[];
  x: number;
  y: number;
}

const vertex = (label: string, w: number, h: number, dummy: boolean): Vertex => {
  const v = { dummy, label, w, h, e: [], rank: -1, pos: 0, bar: 0, shift: Infinity, X: null, xs: [0, 0, 0, 0] };
  const full = v as unknown as Vertex;
  full.root = full.align = full.sink = full;
  full.x = full.y = 0;
  return full;
};

const preds = (v: Vertex): Vertex[] => v.e.filter((e) => e.to === v).map((e) => e.from);
const succs = (v: Vertex): Vertex[] => v.e.filter((e) => e.from === v).map((e) => e.to);

class Sugiyama {
  readonly layers: Vertex[][] = [];
  /** -1: sweep downwards (neighbours above), +1: upwards. */
  dirv: -1 | 1 = -1;
  dirh: -1 | 1 = 1;
  readonly dw: number;
  readonly dh: number;
  private conflicts = new Set<string>();
  private readonly ids = new Map<Vertex, number>();

  constructor(
    readonly vs: Vertex[],
    readonly es: Edge[],
    readonly xspace: number,
    readonly yspace: number,
  ) {
    const ws = vs.map((v) => v.w).sort((a, b) => a - b);
    const hs = vs.map((v) => v.h).sort((a, b) => a - b);
    this.dw = ws[ws.length >> 1]!;
    this.dh = hs[hs.length >> 1]!;
  }

  private id(v: Vertex): number {
    let i = this.ids.get(v);
    if (i === undefined) this.ids.set(v, (i = this.ids.size));
    return i;
  }

  init(): void {
    const roots = this.vs.filter((v) => !v.e.some((e) => e.to === v));
    this.rankFrom(roots);
    this.pullDown();
    for (const e of this.es) this.addDummies(e);
    for (const layer of this.layers) this.setupLayer(layer);
  }

  private setRank(v: Vertex): void {
    v.rank = Math.max(-1, ...preds(v).map((p) => p.rank)) + 1;
    if (v.rank === this.layers.length) this.layers.push([]);
    this.layers[v.rank]!.push(v);
  }

  /** A vertex is ranked once every edge into it has been scanned, round by round from the roots. */
  private rankFrom(roots: Vertex[]): void {
    const scanned = new Set<Edge>();
    let round = roots;
    while (round.length > 0) {
      const next: Vertex[] = [];
      for (const v of round) {
        this.setRank(v);
        for (const e of v.e) if (e.from === v) scanned.add(e);
        for (const x of succs(v)) {
          if (x.e.every((e) => e.to !== x || scanned.has(e)) && !next.includes(x)) next.push(x);
        }
      }
      round = next;
    }
  }

  /** Bottom-up, a predecessor whose successors are all at or below v's rank moves to the rank above v. */
  private pullDown(): void {
    for (let r = this.layers.length - 1; r >= 0; r--) {
      const layer = this.layers[r]!;
      for (let i = 0; i < layer.length; i++) {
        const v = layer[i]!;
        for (const x of preds(v)) {
          if (!succs(x).every((y) => y.rank >= v.rank)) continue;
          const from = this.layers[x.rank]!;
          from.splice(from.indexOf(x), 1);
          x.rank = v.rank - 1;
          this.layers[x.rank]!.push(x);
        }
      }
    }
  }

  private addDummies(e: Edge): void {
    const r0 = e.from.rank;
    const r1 = e.to.rank;
    if (r1 - r0 <= 1) return;
    const ctrl = new Map<number, Vertex>([
      [r0, e.from],
      [r1, e.to],
    ]);
    for (let r = r0 + 1; r < r1; r++) {
      const d = vertex("", this.dw, this.dh, true);
      d.rank = r;
      d.ctrl = ctrl;
      ctrl.set(r, d);
      this.layers[r]!.push(d);
    }
    e.ctrl = ctrl;
  }

  private step(layer: Vertex[]): number {
    return layer.length > 1 ? 1 / (layer.length - 1) : 1;
  }

  private setupLayer(layer: Vertex[]): void {
    const dx = this.step(layer);
    layer.forEach((v, i) => {
      v.pos = i;
      v.bar = i * dx;
    });
  }

  /** Neighbours in the layer above (dirv -1) or below (+1), long edges replaced by their dummies. */
  neighbors(v: Vertex): Vertex[] {
    if (!v.nvs) {
      if (v.dummy) {
        const up = v.ctrl!.get(v.rank - 1);
        const down = v.ctrl!.get(v.rank + 1);
        v.nvs = { up: up ? [up] : [], down: down ? [down] : [] };
      } else {
        const hop = (x: Vertex, d: -1 | 1): Vertex => {
          if (x.rank === v.rank + d) return x;
          const e = v.e.find((e) => e.from === x || e.to === x)!;
          return e.ctrl!.get(v.rank + d)!;
        };
        v.nvs = { up: preds(v).map((x) => hop(x, -1)), down: succs(v).map((x) => hop(x, 1)) };
      }
    }
    return this.dirv === -1 ? v.nvs.up : v.nvs.down;
  }

  private prevLayer(r: number): Vertex[] | undefined {
    return this.layers[r + this.dirv];
  }

  /** Bilayer crossings by insertion counting (Barth & Mutzel). */
  private crossings(layer: Vertex[]): number {
    const seq: number[] = [];
    for (const v of layer)
      seq.push(
        ...this.neighbors(v)
          .map((x) => x.pos)
          .sort((a, b) => a - b),
      );
    const sorted: number[] = [];
    let count = 0;
    seq.forEach((p, i) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (p < sorted[mid]!) hi = mid;
        else lo = mid + 1;
      }
      if (lo < i) count += i - lo;
      sorted.splice(lo, 0, p);
    });
    return count;
  }

  private orderLayer(r: number): number {
    const layer = this.layers[r]!;
    let c = this.crossings(layer);
    if (c > 0) {
      const prev = this.prevLayer(r);
      for (const v of layer) {
        if (!prev || prev.length === 0) continue;
        const bars = this.neighbors(v).map((x) => x.bar);
        if (bars.length > 0) v.bar = bars.reduce((a, b) => a + b, 0) / bars.length;
      }
      const sorted = layer.map((v, i) => ({ v, i })).sort((a, b) => a.v.bar - b.v.bar || a.i - b.i);
      sorted.forEach((s, i) => (layer[i] = s.v));
      c = this.adjacentSwaps(layer);
      const dx = this.step(layer);
      layer.forEach((v, i) => {
        v.pos = i;
        v.bar = i * dx;
      });
    }
    return c;
  }

  private adjacentSwaps(layer: Vertex[]): number {
    let total = 0;
    for (let i = 0; i + 1 < layer.length; i++) {
      const vi = layer[i]!;
      const vj = layer[i + 1]!;
      const ni = this.neighbors(vi).map((x) => x.bar);
      let xij = 0;
      let xji = 0;
      for (const nj of this.neighbors(vj).map((x) => x.bar)) {
        const above = ni.filter((b) => b > nj).length;
        xij += above;
        xji += ni.length - above;
      }
      if (xji < xij) {
        layer[i] = vj;
        layer[i + 1] = vi;
        total += xji;
      } else total += xij;
    }
    return total;
  }

  private orderingStep(oneway: boolean): void {
    this.dirv = -1;
    let crossings = 0;
    for (let r = 0; r < this.layers.length; r++) crossings += this.orderLayer(r);
    if (oneway || crossings === 0) return;
    this.dirv = 1;
    for (let r = this.layers.length - 1; r >= 0 && this.layers[r]!.length > 0; r--) this.orderLayer(r);
  }

  order(): void {
    this.orderingStep(false);
    this.orderingStep(true);
  }

  private setDir(dirvh: number): void {
    this.dirh = dirvh % 2 === 0 ? 1 : -1;
    this.dirv = dirvh < 2 ? -1 : 1;
  }

  private conflictKey(upper: Vertex, lower: Vertex): string {
    return `${this.id(upper)},${this.id(lower)}`;
  }

  /** Marks edges crossing an inner segment (between two dummies), seen from the top-left alignment. */
  private detectConflicts(): void {
    this.setDir(0);
    this.conflicts = new Set();
    const isInner = (v: Vertex): boolean => this.neighbors(v).some((x) => x.dummy);
    for (let r = 1; r < this.layers.length; r++) {
      const layer = this.layers[r]!;
      const prev = this.layers[r - 1]!;
      if (prev.length === 0) continue;
      const last = layer.length - 1;
      let k0 = 0;
      let l = 0;
      layer.forEach((v, l1) => {
        if (!v.dummy) return;
        const inner = isInner(v);
        if (l1 !== last && !inner) return;
        const ns = this.neighbors(v);
        const k1 = inner ? ns[ns.length - 1]!.pos : prev.length - 1;
        for (const vl of layer.slice(l, l1 + 1)) {
          for (const vk of this.neighbors(vl)) {
            if (vk.pos < k0 || vk.pos > k1) this.conflicts.add(this.conflictKey(vk, vl));
          }
        }
        l = l1 + 1;
        k0 = k1;
      });
    }
  }

  private medians(v: Vertex): number[] {
    const pos = this.neighbors(v)
      .map((x) => x.pos)
      .sort((a, b) => a - b);
    if (pos.length === 0) return [];
    if (this.dirh === -1) pos.reverse();
    const i = (pos.length - 1) >> 1;
    return (pos.length - 1) % 2 === 0 ? [pos[i]!] : [pos[i]!, pos[i + 1]!];
  }

  private alignVertically(): void {
    const { dirh, dirv } = this;
    const order = dirv === -1 ? this.layers : [...this.layers].reverse();
    for (const layer of order) {
      if (layer.length === 0) continue;
      const prev = this.prevLayer(layer[0]!.rank);
      if (!prev || prev.length === 0) continue;
      let r: number | null = null;
      for (const vk of dirh === 1 ? layer : [...layer].reverse()) {
        for (const m of this.medians(vk)) {
          const um = prev[m]!;
          if (vk.align !== vk) continue;
          const key = dirv === 1 ? this.conflictKey(vk, um) : this.conflictKey(um, vk);
          if (!this.conflicts.has(key) && (r === null || dirh * r < dirh * m)) {
            um.align = vk;
            vk.root = um.root;
            vk.align = vk.root;
            r = m;
          }
        }
      }
    }
  }

  private placeBlock(v: Vertex): void {
    if (v.X !== null) return;
    v.X = 0;
    let w = v;
    for (;;) {
      const layer = this.layers[w.rank]!;
      const j = w.pos - this.dirh;
      if (j >= 0 && j < layer.length) {
        const wprec = layer[j]!;
        const delta = this.xspace + (wprec.w + w.w) / 2;
        const u = wprec.root;
        this.placeBlock(u);
        if (v.sink === v) v.sink = u.sink;
        if (v.sink !== u.sink) {
          const s = u.sink;
          s.shift = Math.min(s.shift, v.X - (u.X! + delta));
        } else v.X = Math.max(v.X, u.X! + delta);
      }
      w = w.align;
      if (w === v) break;
    }
  }

  private compactHorizontally(dirvh: number): void {
    const { dirh, dirv } = this;
    const order = dirv === -1 ? this.layers : [...this.layers].reverse();
    const inDir = (l: Vertex[]): Vertex[] => (dirh === 1 ? l : [...l].reverse());
    for (const layer of order) for (const v of inDir(layer)) if (v.root === v) this.placeBlock(v);
    if (dirh === -1) for (const layer of order) for (const v of layer) if (v.X) v.X = -v.X;
    for (const layer of order) {
      for (const v of inDir(layer)) {
        v.xs[dirvh] = v.root.X!;
        const s = v.root.sink.shift;
        if (s < Infinity) v.xs[dirvh]! += dirh * s;
      }
    }
    for (const layer of this.layers) {
      for (const v of layer) {
        v.root = v.align = v.sink = v;
        v.shift = Infinity;
        v.X = null;
      }
    }
  }

  /** Brandes & Köpf: x = mean of the two middle values of the four alignments; y by layer. */
  setXY(): void {
    this.detectConflicts();
    for (const layer of this.layers) {
      for (const v of layer) {
        v.root = v.align = v.sink = v;
        v.shift = Infinity;
        v.X = null;
        v.xs = [0, 0, 0, 0];
      }
    }
    for (let dirvh = 0; dirvh < 4; dirvh++) {
      this.setDir(dirvh);
      this.alignVertically();
      this.compactHorizontally(dirvh);
    }
    this.setDir(0);
    let y = 0;
    for (const layer of this.layers) {
      if (layer.length === 0) continue;
      const dy = Math.max(...layer.map((v) => v.h / 2));
      for (const v of layer) {
        const xs = [...v.xs].sort((a, b) => a - b);
        v.x = (xs[1]! + xs[2]!) / 2;
        v.y = y + dy;
      }
      y += 2 * dy + this.yspace;
    }
  }
}

/** Where the segment from the box centre towards `to` leaves the box (grandalf's intersectR). */
function clip(v: Vertex, to: [number, number]): [number, number] {
  const x2 = to[0] - v.x;
  const y2 = to[1] - v.y;
  const bx = Math.floor(v.w / 2);
  const by = Math.floor(v.h / 2);
  const sides: Array<[number, number, number, number]> = [
    [-bx, -by, bx, -by],
    [bx, -by, bx, by],
    [-bx, by, bx, by],
    [-bx, by, -bx, -by],
  ];
  for (const [x3, y3, x4, y4] of sides) {
    const b0 = x2;
    const b1 = y2;
    const d0 = x4 - x3;
    const d1 = y4 - y3;
    const det = b0 * d1 - b1 * d0;
    if (det === 0) continue;
    const c0 = x3;
    const c1 = y3;
    let t = (c0 * b1 - c1 * b0) / det;
    if (t < 0 || t > 1) continue;
    t = (c0 * d1 - c1 * d0) / det;
    if (t < 0 || t > 1) continue;
    return [t * b0 + v.x, t * b1 + v.y];
  }
  throw new Error("internal: edge end inside its box");
}

/**
 * Lays out one weakly connected graph. `edges` are [top, bottom] index pairs, in the order that decides
 * ties (each vertex's edge list is filled in this order). Vertex order decides the ranking order too.
 */
export function layoutDag(
  labels: string[],
  sizes: Array<{ w: number; h: number }>,
  edges: Array<[number, number]>,
  space: { x: number; y: number },
): Layout {
  const vs = labels.map((l, i) => vertex(l, sizes[i]!.w, sizes[i]!.h, false));
  // the vertex order of the component: each edge merges the bottom's group after the top's
  const group = vs.map((v) => [v]);
  const groupOf = vs.map((_, i) => i);
  const index = new Map(vs.map((v, i) => [v, i] as const));
  const es: Edge[] = [];
  for (const [a, b] of edges) {
    const e: Edge = { from: vs[a]!, to: vs[b]! };
    es.push(e);
    if (!vs[a]!.e.includes(e)) vs[a]!.e.push(e);
    if (!vs[b]!.e.includes(e)) vs[b]!.e.push(e);
    const ga = groupOf[a]!;
    const gb = groupOf[b]!;
    if (ga === gb) continue;
    for (const v of group[gb]!) {
      group[ga]!.push(v);
      groupOf[index.get(v)!] = ga;
    }
    group[gb] = [];
  }
  const ordered = group.find((g) => g.length > 0) ?? [];
  const sug = new Sugiyama(ordered, es, space.x, space.y);
  sug.init();
  sug.order();
  sug.setXY();
  const paths = es.map((e) => {
    const pts: Array<[number, number]> = [[e.from.x, e.from.y]];
    if (e.ctrl) for (let r = e.from.rank + 1; r < e.to.rank; r++) pts.push([e.ctrl.get(r)!.x, e.ctrl.get(r)!.y]);
    pts.push([e.to.x, e.to.y]);
    const tail = clip(e.from, pts[1]!);
    const head = clip(e.to, pts[pts.length - 2]!);
    pts[0] = tail;
    pts[pts.length - 1] = head;
    return pts;
  });
  return { boxes: ordered.map((v) => ({ label: v.label, w: v.w, h: v.h, x: v.x, y: v.y })), paths };
}
