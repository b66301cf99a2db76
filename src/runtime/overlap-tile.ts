/**
 * U-Net's overlap-tile strategy (Ronneberger, Fischer & Brox 2015, Fig. 2), for nets whose
 * scores are a crop of their input (valid convolutions, a `crop(label)` at offset o): the
 * image is labelled in tiles whose scores partition it, each tile reading the input window
 * around its scores, and the image mirrored where that window runs past its edges.
 *
 * Per axis, with a tile input side T the net takes and its score side S (read off the
 * compiler's shape analysis, never assumed to be T − 2o):
 * - the tiles' scores sit at p = 0, S, 2S, … < L (the image side), so they never overlap;
 *   the one that runs past the image's far edge reads a window mirrored further and its
 *   surplus is cropped off. Shifting the last tile back to end at the edge would have cost
 *   as many tiles but put it on another phase of the net's pooling grid than its neighbour
 *   (a seam), and written pixels twice; with every tile at a multiple of S, a net whose S is
 *   a multiple of its grid gives exactly what one run over the mirror-padded image gives;
 * - the tile at p reads input [p − o, p − o + T);
 * - outside the image, pixel i reads pixel reflect(i): mirrored about the edge pixel, which
 *   is not repeated (numpy's and tf.mirrorPad's 'reflect'), reflected again as often as a
 *   window wider than the image needs (period 2(L − 1), as numpy.pad iterates it); a side
 *   of 1 repeats its one pixel;
 * - T: the largest side ≤ the requested one that the net takes exactly (no layer rounds: U-Net's
 *   "every 2x2 pooling sees an even size", 188 + 16k for nets/unet.fcn; any side it takes if it
 *   has no exact one), then shrunk to the smallest such side that needs no more tiles (an image
 *   smaller than one tile's scores gets the smallest tile that covers it): less work, and the
 *   same kind of scores, each seeing its whole receptive field.
 *   An image smaller than any side the net takes runs too: mirroring fills the window.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import type { ModelInfo } from './info.js';
import type { NetArray, Prediction } from './predict.js';
import { assembleTiles, type TileRunner } from './tile.js';

/** What overlap-tiling needs to know of a net, from the analysing compiler. */
export interface OverlapGeometry {
  /** The largest tile side ≤ n along `axis` (an exact one, see `exact`); null if none. */
  largestAtMost(axis: 0 | 1, n: number): number | null;
  /** Whether tile sides are exact ones (no layer rounds); false when the net has none. */
  exact: boolean;
  /** The smallest tile [h, w]; null if an axis has none. */
  smallest(): Pair | null;
  /** The score side along `axis` for an input side `n` the net takes. */
  scoreSide(axis: 0 | 1, n: number): number;
  /** Where the scores' first pixel sits in the input: the label crop's offset. */
  offset: Pair;
  /** The net's grid (the LCM of its strides): tiles whose origins are multiples of it pool as one run would. */
  align: number;
}

/** The tiles along one axis. */
export interface OverlapAxis {
  /** Each tile's input side T. */
  input: number;
  /** Each tile's score side S. */
  scores: number;
  /** The label crop's offset o along this axis. */
  offset: number;
  /** Where each tile's scores start in the image: 0, S, 2S, … */
  starts: number[];
  /** Each tile's input window [p − o, p − o + T) in image coordinates (mirrored outside [0, L)). */
  windows: Pair[];
}

/** Overlap tiles over a whole image: rows × columns. */
export interface OverlapTilePlan {
  kind: 'overlap';
  rows: OverlapAxis;
  cols: OverlapAxis;
  /** The net's grid, and whether every tile's window starts on it (the mirror-padded image's own grid). */
  align: number;
  onGrid: boolean;
}

/** Plans one axis of length `length` in tiles of input `input`, scores `scores` at `offset`. */
export function planOverlapAxis(length: number, input: number, scores: number, offset: number): OverlapAxis {
  if (scores < 1 || offset < 0 || offset + scores > input)
    throw new Error(`scores ${scores} at offset ${offset} do not fit in a tile of ${input}`);
  const starts = Array.from({ length: Math.ceil(length / scores) }, (_, i) => i * scores);
  return { input, scores, offset, starts, windows: starts.map((p) => [p - offset, p - offset + input]) };
}

/** The tile input side along `axis`: see the file comment; null when the net takes no side ≤ `requested`. */
export function overlapTileSide(g: OverlapGeometry, axis: 0 | 1, length: number, requested: number): number | null {
  let side = g.largestAtMost(axis, requested);
  if (side === null) return null;
  const count = Math.ceil(length / g.scoreSide(axis, side));
  for (let s = g.largestAtMost(axis, side - 1); s !== null; s = g.largestAtMost(axis, s - 1)) {
    if (Math.ceil(length / g.scoreSide(axis, s)) > count) break;
    side = s;
  }
  return side;
}

/** Plans overlap tiles over an image of `size` [h, w], tiles at most `requested` a side; null when the net takes no side that small. */
export function planOverlapTiles(g: OverlapGeometry, size: Pair, requested: number): OverlapTilePlan | null {
  const axes = ([0, 1] as const).map((a) => {
    const side = overlapTileSide(g, a, size[a], requested);
    return side === null ? null : planOverlapAxis(size[a], side, g.scoreSide(a, side), g.offset[a]);
  });
  const [rows, cols] = axes;
  if (!rows || !cols) return null;
  const onGrid = [rows, cols].every((axis) => axis.starts.every((p) => p % g.align === 0));
  return { kind: 'overlap', rows, cols, align: g.align, onGrid };
}

/** The pixel that index `i` reads on an axis of `n` pixels: mirrored about the edges without repeating them. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** The window of `size` [h, w] at `origin` [y, x] of `input` (HWC), mirrored wherever it runs past the edges. */
export function mirrorWindow(input: NetArray, origin: Pair, size: Pair): NetArray {
  const { data, height: H, width: W, channels: C } = input;
  const [h, w] = size;
  const rows = Array.from({ length: h }, (_, y) => reflectIndex(origin[0] + y, H));
  const cols = Array.from({ length: w }, (_, x) => reflectIndex(origin[1] + x, W));
  const out = new Float32Array(h * w * C);
  for (let y = 0; y < h; y++) {
    const src = rows[y]! * W;
    for (let x = 0; x < w; x++) {
      const from = (src + cols[x]!) * C;
      out.set(data.subarray(from, from + C), (y * w + x) * C);
    }
  }
  return { data: out, height: h, width: w, channels: C };
}

/**
 * Runs the model (or `runner`) over `input` tile by tile and writes each tile's scores where
 * they sit in the image, cropped at its far edges: a score map and labels of the image's
 * size. `onTile` hears how many tiles are done (the event loop gets a turn after each).
 */
export async function predictOverlapTiled(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  input: NetArray,
  plan: OverlapTilePlan,
  onTile?: (done: number) => void,
): Promise<Prediction> {
  const size: Pair = [input.height, input.width];
  const { rows, cols } = plan;
  return assembleTiles(
    model,
    info,
    size,
    [rows.starts.length, cols.starts.length],
    (i, j) => mirrorWindow(input, [rows.windows[i]![0], cols.windows[j]![0]], [rows.input, cols.input]),
    (out, part, i, j) => {
      const [, h, w] = part.shape;
      if (h !== rows.scores || w !== cols.scores)
        throw new Error(
          `net ${info.net} gave ${h}x${w} scores for a ${rows.input}x${cols.input} tile; its analysis says ${rows.scores}x${cols.scores}`,
        );
      place(out, size, part, [rows.starts[i]!, cols.starts[j]!]);
    },
    onTile,
  );
}

/** Copies a tile's scores [C, h, w] into `out` [C, H, W] at (y0, x0), cropped to the image. */
function place(out: Float32Array, [H, W]: Pair, part: Prediction, [y0, x0]: Pair): void {
  const [c, h, w] = part.shape;
  const rows = Math.min(h, H - y0);
  const cols = Math.min(w, W - x0);
  for (let k = 0; k < c; k++)
    for (let y = 0; y < rows; y++) {
      const src = (k * h + y) * w;
      out.set(part.scores.subarray(src, src + cols), (k * H + y0 + y) * W + x0);
    }
}
