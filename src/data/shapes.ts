/**
 * The shapes of `fcn synth`. A class is a shape kind, never a colour, so a net has to read
 * outlines: rings (a hole of background), crosses and bars (thin arms), stars (sharp
 * points) are only told apart from discs and squares by their boundaries.
 */
import type { Rng } from './random.js';

/** Shape kinds in class order: class k (k ≥ 1) is SHAPE_KINDS[k - 1]; class 0 is background. */
export const SHAPE_KINDS = ['disc', 'ring', 'cross', 'triangle', 'square', 'bar', 'star', 'frame', 'crescent'] as const;

export type ShapeKind = (typeof SHAPE_KINDS)[number];

/** One placed shape: centre, bounding radius, rotation and the kind's proportions. */
export interface Shape {
  kind: ShapeKind;
  cx: number;
  cy: number;
  /** Every point of the shape lies within this distance of the centre. */
  r: number;
  angle: number;
  /** Thin-part width (cross, bar) or inner/outer ratio (ring, frame). */
  detail: number;
}

/** Draws a shape of a kind at a given centre and radius, with random rotation and proportions. */
export function randomShape(kind: ShapeKind, cx: number, cy: number, r: number, rng: Rng): Shape {
  const angle = rng.range(0, Math.PI);
  // Arms are about half the radius wide (at least 4 px): a little under the stride 8 of an
  // FCN-8s's finest scores at the default sizes, so they need its skips but stay resolvable.
  const detail = kind === 'ring' || kind === 'frame' ? rng.range(0.4, 0.55) : Math.max(2, r * rng.range(0.24, 0.32));
  return { kind, cx, cy, r, angle, detail };
}

const TRIANGLE = regularPolygon(3, 1, 1);
const STAR = regularPolygon(5, 1, 0.45);

/** True if the point (x, y) (image coordinates) lies inside the shape. */
export function insideShape(s: Shape, x: number, y: number): boolean {
  const dx = x - s.cx;
  const dy = y - s.cy;
  const cos = Math.cos(s.angle);
  const sin = Math.sin(s.angle);
  // The shape's own frame: rotated by its angle, origin at its centre.
  const u = dx * cos + dy * sin;
  const v = -dx * sin + dy * cos;
  const r = s.r;
  const d2 = u * u + v * v;
  if (d2 > r * r) return false;
  switch (s.kind) {
    case 'disc':
      return true;
    case 'ring':
      return d2 >= (r * s.detail) ** 2;
    case 'cross':
      return (
        (Math.abs(u) <= s.detail && Math.abs(v) <= r * 0.95) || (Math.abs(v) <= s.detail && Math.abs(u) <= r * 0.95)
      );
    case 'bar':
      return Math.abs(v) <= s.detail;
    case 'square':
      return Math.max(Math.abs(u), Math.abs(v)) <= r * 0.72;
    case 'frame': {
      const m = Math.max(Math.abs(u), Math.abs(v));
      return m <= r * 0.72 && m >= r * 0.72 * s.detail;
    }
    case 'triangle':
      return insidePolygon(TRIANGLE, u / r, v / r);
    case 'star':
      return insidePolygon(STAR, u / r, v / r);
    case 'crescent':
      return (u - r * 0.45) ** 2 + v * v > (r * 0.8) ** 2;
  }
}

/** Vertices of a regular polygon (or star, when inner < outer) with `n` points, flattened [x0, y0, …]. */
function regularPolygon(n: number, outer: number, inner: number): number[] {
  const pts: number[] = [];
  const steps = inner === outer ? n : 2 * n;
  for (let i = 0; i < steps; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / steps;
    const rad = i % 2 && inner !== outer ? inner : outer;
    pts.push(rad * Math.cos(a), rad * Math.sin(a));
  }
  return pts;
}

/** Even–odd point-in-polygon test. */
function insidePolygon(pts: number[], x: number, y: number): boolean {
  let inside = false;
  const n = pts.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = pts[2 * i]!;
    const yi = pts[2 * i + 1]!;
    const xj = pts[2 * j]!;
    const yj = pts[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Supersampling grid per pixel side: coverage is counted on SUB×SUB points. */
const SUB = 3;

/**
 * Rasterises a shape: calls `paint(index, coverage)` for every pixel it touches, with the
 * fraction of the pixel's SUB×SUB sample points inside (so edges can be anti-aliased).
 */
export function rasterise(
  s: Shape,
  width: number,
  height: number,
  paint: (index: number, coverage: number) => void,
): void {
  const x0 = Math.max(0, Math.floor(s.cx - s.r));
  const x1 = Math.min(width - 1, Math.ceil(s.cx + s.r));
  const y0 = Math.max(0, Math.floor(s.cy - s.r));
  const y1 = Math.min(height - 1, Math.ceil(s.cy + s.r));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let hits = 0;
      for (let sy = 0; sy < SUB; sy++) {
        for (let sx = 0; sx < SUB; sx++) {
          // Pixel (x, y) spans [x, x + 1) × [y, y + 1); sample points sit at the sub-cell centres.
          if (insideShape(s, x + (sx + 0.5) / SUB, y + (sy + 0.5) / SUB)) hits++;
        }
      }
      if (hits) paint(y * width + x, hits / (SUB * SUB));
    }
  }
}
