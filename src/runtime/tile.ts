/**
 * Sliding-window inference: an image of any size through a net in overlapping tiles of sizes
 * the net takes, so that the wasm heap holds one tile's activations at a time; the score maps
 * are blended, then the labels are their argmax.
 *
 * How the tiles are chosen (per axis; geometry from the analysing compiler, see TileGeometry):
 * - tile side: the largest side ≤ the requested one that the net takes, preferring one whose
 *   last tile ends on the net's grid (side ≡ image side mod `align`, the LCM of the effective
 *   strides); a side the net takes whole, and that is no larger than requested, is one tile;
 * - tile origins: multiples of `align`, so every pooling and upsampling grid inside a tile
 *   lies where it lies in the whole image (only the last tile is off the grid when no aligned
 *   side works, which happens when the net cannot take the image whole anyway);
 * - overlap: at least 2·`margin`, `margin` being how far an output pixel's receptive field
 *   reaches (half the score's field, from the compiler's receptive-field analysis). An
 *   output pixel at least `margin` from a tile's inner edge sees only real pixels, exactly as
 *   in the whole image, so with such overlap every pixel has at least one exact tile. The
 *   overlap is capped at three quarters of the tile, so a net whose field is about as wide as
 *   the tile (voc-fcn8s: 491) still advances a quarter tile per step, with a border effect.
 * Blending: a tile's weight at a pixel is 0 within `margin` of its inner edges and grows
 * linearly inward (centre-weighted), normalised over the tiles covering the pixel; so where
 * tiles are exact the result is too (up to float rounding), and where the overlap is too
 * short for that (tiles smaller than 2·margin + align) the seams are feathered instead.
 */
import type * as tf from '@tensorflow/tfjs';
import { cropOrPad } from '../data/preprocess.js';
import type { Pair } from '../compiler/layers/types.js';
import type { ModelInfo } from './info.js';
import type { TileGeometry } from './input-size.js';
import { predict, toTensor, type NetArray, type Prediction } from './predict.js';

/** The tiles along one axis: their side and their origins, first at 0, last at the image's end. */
export interface AxisTiles {
  size: number;
  starts: number[];
}

/** Tiles over a whole image: rows × columns. */
export interface TilePlan {
  rows: AxisTiles;
  cols: AxisTiles;
  /** The margin the weights keep clear of inner tile edges. */
  margin: number;
  /** Whether every pixel gets a tile that sees all of its receptive field, on the whole image's grid. */
  exact: boolean;
}

/** The tile side along `axis` for an image side `length`, and whether its tiles can all lie on the grid; null if no side ≤ both works. */
function tileSide(geometry: TileGeometry, axis: 0 | 1, length: number, requested: number) {
  const cap = Math.min(requested, length);
  const { align } = geometry;
  // The largest side ≤ cap congruent to the image side: its last tile ends on the grid.
  for (let t = cap - ((((cap - length) % align) + align) % align); t >= cap / 2; t -= align)
    if (geometry.largestAtMost(axis, t) === t) return { size: t, aligned: true };
  const size = geometry.largestAtMost(axis, cap);
  return size === null ? null : { size, aligned: false };
}

/** Plans the tiles along one axis; null when the net takes no side ≤ min(length, requested). */
export function planAxis(
  geometry: TileGeometry,
  axis: 0 | 1,
  length: number,
  requested: number,
): (AxisTiles & { exact: boolean }) | null {
  const side = tileSide(geometry, axis, length, requested);
  if (!side) return null;
  const { size } = side;
  if (size === length) return { size, starts: [0], exact: true };
  const { align, margin } = geometry;
  const span = length - size;
  // Steps on the grid that keep the overlap ≥ 2·margin, but at least a quarter tile (and one
  // grid step): a receptive field wider than the tile (VGG's 491) must not mean a tile per step.
  const maxStep = Math.max(align, Math.floor(Math.max(size - 2 * margin, size / 4) / align) * align);
  const count = Math.ceil(span / maxStep) + 1;
  const step = Math.ceil(span / (count - 1) / align) * align;
  const starts = [...new Set([...Array.from({ length: count - 1 }, (_, i) => Math.min(i * step, span)), span])];
  return { size, starts, exact: side.aligned && size - step >= 2 * margin };
}

/** Plans the tiles over an image of `size` [h, w], each side at most `requested`; null when an axis is smaller than any side the net takes. */
export function planTiles(geometry: TileGeometry, size: Pair, requested: number): TilePlan | null {
  const rows = planAxis(geometry, 0, size[0], requested);
  const cols = planAxis(geometry, 1, size[1], requested);
  if (!rows || !cols) return null;
  return {
    rows: { size: rows.size, starts: rows.starts },
    cols: { size: cols.size, starts: cols.starts },
    margin: geometry.margin,
    exact: rows.exact && cols.exact,
  };
}

/**
 * Each tile's blending weight along one axis, at each of its `tiles.size` positions: 0 within
 * `margin` of an inner edge, rising by 1 per pixel inward; normalised over the tiles covering
 * each pixel. Where no tile clears the margin, the weights rise from the inner edges instead.
 */
export function axisWeights(tiles: AxisTiles, length: number, margin: number): Float64Array[] {
  const { size, starts } = tiles;
  const depth = starts.map((s) =>
    Float64Array.from({ length: size }, (_, x) => Math.min(s > 0 ? x : size, s + size < length ? size - 1 - x : size)),
  );
  const weights = depth.map((d) => d.map((v) => (v >= margin ? v - margin + 1 : 0)));
  for (let p = 0; p < length; p++) {
    const covering = starts.flatMap((s, i) => (p >= s && p < s + size ? [i] : []));
    let sum = covering.reduce((a, i) => a + weights[i]![p - starts[i]!]!, 0);
    if (sum === 0) {
      for (const i of covering) weights[i]![p - starts[i]!] = depth[i]![p - starts[i]!]! + 1;
      sum = covering.reduce((a, i) => a + weights[i]![p - starts[i]!]!, 0);
    }
    for (const i of covering) weights[i]![p - starts[i]!]! /= sum;
  }
  return weights;
}

/** Gives the event loop a turn (a progress bar draws). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Another engine's inference on one input (the ONNX engine's), in place of a tfjs model. */
export type TileRunner = (input: NetArray) => Promise<Prediction>;

/** One input through the model (or `runner`): the net's own scores and labels. */
export async function runTile(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  input: NetArray,
): Promise<Prediction> {
  if (typeof model === 'function') return model(input);
  const tensor = toTensor(input);
  try {
    return predict(model, info, tensor);
  } finally {
    tensor.dispose();
  }
}

/**
 * Runs the model (or `runner`) over `input` tile by tile and blends the score maps; `onTile`
 * hears how many tiles are done (the event loop gets a turn after each, so a progress bar can draw).
 */
export async function predictTiled(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  input: NetArray,
  plan: TilePlan,
  onTile?: (done: number) => void,
): Promise<Prediction> {
  const { height: H, width: W, channels } = input;
  const [th, tw] = [plan.rows.size, plan.cols.size];
  const wy = axisWeights(plan.rows, H, plan.margin);
  const wx = axisWeights(plan.cols, W, plan.margin);
  const { rows, cols } = plan;
  return assembleTiles(
    model,
    info,
    [H, W],
    [rows.starts.length, cols.starts.length],
    (i, j) => ({
      data: cropOrPad(input.data, H, W, channels, rows.starts[i]!, cols.starts[j]!, th, tw, 0),
      height: th,
      width: tw,
      channels,
    }),
    (out, part, i, j) => blend(out, [H, W], part, [rows.starts[i]!, cols.starts[j]!], wy[i]!, wx[j]!),
    onTile,
  );
}

/**
 * Runs a grid of `count` [rows, columns] tiles, `window(i, j)` being tile (i, j)'s input, and has
 * `add` put each tile's prediction into the score map [C, H, W] of an image of `size`; then the
 * labels are its argmax. `onTile` hears how many tiles are done, the event loop getting a turn after each.
 */
export async function assembleTiles(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  [H, W]: Pair,
  count: Pair,
  window: (i: number, j: number) => NetArray,
  add: (out: Float32Array, part: Prediction, i: number, j: number) => void,
  onTile?: (done: number) => void,
): Promise<Prediction> {
  let scores: Float32Array | undefined;
  let classes = 0;
  let done = 0;
  for (let i = 0; i < count[0]; i++) {
    for (let j = 0; j < count[1]; j++) {
      const part = await runTile(model, info, window(i, j));
      classes = part.shape[0];
      scores ??= new Float32Array(classes * H * W);
      add(scores, part, i, j);
      onTile?.(++done);
      await nextTurn();
    }
  }
  return {
    scores: scores!,
    shape: [classes, H, W],
    labels: { width: W, height: H, data: argmaxLabels(scores!, classes, H * W) },
  };
}

/** Adds a tile's scores [C, th, tw], weighted by wy ⊗ wx, into `out` [C, H, W] at (y0, x0). */
function blend(
  out: Float32Array,
  [H, W]: Pair,
  part: Prediction,
  [y0, x0]: Pair,
  wy: Float64Array,
  wx: Float64Array,
): void {
  const [c, h, w] = part.shape;
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < h; y++) {
      const a = wy[y]!;
      if (a === 0) continue;
      const src = (k * h + y) * w;
      const dst = (k * H + y0 + y) * W + x0;
      for (let x = 0; x < w; x++) {
        const b = wx[x]!;
        if (b !== 0) out[dst + x]! += a * b * part.scores[src + x]!;
      }
    }
  }
}

/** The class of each pixel of scores [C, N]: the first maximum, as tf.argMax picks it. */
export function argmaxLabels(scores: Float32Array, classes: number, pixels: number): Uint8Array {
  const labels = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let best = scores[p]!;
    for (let k = 1; k < classes; k++) {
      const v = scores[k * pixels + p]!;
      if (v > best) {
        best = v;
        labels[p] = k;
      }
    }
  }
  return labels;
}
