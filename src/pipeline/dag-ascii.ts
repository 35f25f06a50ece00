// The terminal drawing of `dvx dag`, as DVC draws it: one picture per connected pipeline, each stage a box
// (`+---+` / `| name |`), each edge a line of `*` from a dependency down to what depends on it, boxes drawn
// over the lines. Layout from dag-layout.ts; positions rounded the way Python's round() does (half to even).
import { layoutDag } from "./dag-layout.js";

const BOX_HEIGHT = 3;

/** Python's round(): nearest integer, ties to even. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

class Canvas {
  private readonly rows: string[][];
  constructor(
    readonly cols: number,
    readonly lines: number,
  ) {
    this.rows = Array.from({ length: lines }, () => new Array<string>(cols).fill(" "));
  }

  point(x: number, y: number, ch: string): void {
    if (x < 0 || y < 0 || x >= this.cols || y >= this.lines) throw new Error("internal: point outside the canvas");
    this.rows[y]![x] = ch;
  }

  line(x0: number, y0: number, x1: number, y1: number, ch: string): void {
    if (x0 > x1) [x0, y0, x1, y1] = [x1, y1, x0, y0];
    const dx = x1 - x0;
    const dy = y1 - y0;
    if (dx === 0 && dy === 0) this.point(x0, y0, ch);
    else if (Math.abs(dx) >= Math.abs(dy)) {
      for (let x = x0; x <= x1; x++) this.point(x, dx === 0 ? y0 : y0 + pyRound(((x - x0) * dy) / dx), ch);
    } else if (y0 < y1) {
      for (let y = y0; y <= y1; y++) this.point(dy === 0 ? x0 : x0 + pyRound(((y - y0) * dx) / dy), y, ch);
    } else {
      for (let y = y1; y <= y0; y++) this.point(dy === 0 ? x0 : x1 + pyRound(((y - y1) * dx) / dy), y, ch);
    }
  }

  text(x: number, y: number, text: string): void {
    Array.from(text).forEach((ch, i) => this.point(x + i, y, ch));
  }

  box(x0: number, y0: number, width: number, height: number): void {
    const w = width - 1;
    const h = height - 1;
    for (let x = x0; x < x0 + w; x++) {
      this.point(x, y0, "-");
      this.point(x, y0 + h, "-");
    }
    for (let y = y0; y < y0 + h; y++) {
      this.point(x0, y, "|");
      this.point(x0 + w, y, "|");
    }
    for (const [x, y] of [
      [x0, y0],
      [x0 + w, y0],
      [x0, y0 + h],
      [x0 + w, y0 + h],
    ] as const)
      this.point(x, y, "+");
  }

  draw(): string {
    return this.rows.map((r) => r.join("")).join("\n");
  }
}

/**
 * Draws one weakly connected graph. `edges` are [dependency, dependent] index pairs into `labels`, in the
 * graph's edge order; the dependency is drawn above.
 */
export function drawAscii(labels: string[], edges: Array<[number, number]>): string {
  const texts = labels.map((l) => ` ${l} `);
  const sizes = texts.map((t) => ({ w: Array.from(t).length + 2, h: BOX_HEIGHT }));
  const minw = Math.min(...sizes.map((s) => s.w));
  const { boxes, paths } = layoutDag(texts, sizes, edges, { x: minw, y: BOX_HEIGHT });
  const xs: number[] = [];
  const ys: number[] = [];
  for (const b of boxes) {
    xs.push(b.x - b.w / 2, b.x + b.w / 2);
    ys.push(b.y, b.y + b.h);
  }
  for (const p of paths) {
    for (const [x, y] of p) {
      xs.push(x);
      ys.push(y);
    }
  }
  const minx = xs.reduce((a, b) => Math.min(a, b));
  const miny = ys.reduce((a, b) => Math.min(a, b));
  const maxx = xs.reduce((a, b) => Math.max(a, b));
  const maxy = ys.reduce((a, b) => Math.max(a, b));
  const canvas = new Canvas(Math.ceil(Math.ceil(maxx) - Math.floor(minx)) + 1, pyRound(maxy - miny));
  for (const p of paths) {
    for (let i = 1; i < p.length; i++) {
      const [sx, sy] = p[i - 1]!;
      const [ex, ey] = p[i]!;
      canvas.line(pyRound(sx - minx), pyRound(sy - miny), pyRound(ex - minx), pyRound(ey - miny), "*");
    }
  }
  for (const b of boxes) {
    const x = pyRound(b.x - b.w / 2 - minx);
    const y = pyRound(b.y - miny);
    canvas.box(x, y, b.w, b.h);
    canvas.text(x + 1, y + 1, b.label);
  }
  return canvas.draw();
}
