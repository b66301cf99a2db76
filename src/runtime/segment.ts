/**
 * Segmenting one input with a model, as `fcn predict` does: the whole input at once after
 * checking that the net takes its size, or in overlapping tiles so that any size runs in
 * bounded memory: blended tiles (tile.ts) for a net whose scores are its input's size, U-Net's
 * overlap-tile (overlap-tile.ts) for one whose scores are a crop of it. Running out of memory
 * becomes a UserError that says how much a forward pass needs and, on wasm, the largest size
 * that fits.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import { isOutOfMemory } from '../util/out-of-memory.js';
import { scoreOffset, scoreOutput, type ModelInfo } from './info.js';
import { NetSizes } from './input-size.js';
import { readNpy } from './npy.js';
import { planOverlapTiles, predictOverlapTiled, type OverlapTilePlan } from './overlap-tile.js';
import { chwToArray, inInputFrame, type NetArray, type Prediction } from './predict.js';
import { planTiles, predictTiled, runTile, type TilePlan, type TileRunner } from './tile.js';
import { heapBackend, WASM_HEAP_MAX } from './wasm-heap.js';

export interface SegmentOptions {
  /** Run in overlapping tiles at most this many pixels a side (default: the whole input at once). */
  tile?: number;
  /** The input's name in messages (a file name). */
  name?: string;
  /** Hears the tile plan before the first tile runs: blended tiles, or overlap tiles for a net with a label crop. */
  onPlan?: (plan: TilePlan | OverlapTilePlan) => void;
  /** Hears `(done, total)` after each tile. */
  onTile?: (done: number, total: number) => void;
}

/** Whether tiles can cover an image of `size`: it is at least as large as the smallest size the net takes. */
const tileable = (sizes: NetSizes | undefined, size: Pair): boolean =>
  !!sizes && [0, 1].every((a) => sizes.largestAtMost(a as 0 | 1, size[a]!) !== null);

/**
 * Segments one preprocessed input (`imageToArray`, `npyToArray`): score map and label map.
 * `model` is a tfjs model, or a runner that segments a whole input another way (ONNX Runtime).
 */
export async function segment(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  input: NetArray,
  options: SegmentOptions = {},
): Promise<Prediction> {
  const sizes = NetSizes.fromModel(info);
  const name = options.name ?? 'the input';
  return options.tile === undefined
    ? segmentWhole(model, info, sizes, input, name)
    : segmentTiled(model, info, sizes, input, name, options.tile, options);
}

/** The whole input through the net at once, after checking that the net takes its size. */
async function segmentWhole(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  sizes: NetSizes | undefined,
  input: NetArray,
  name: string,
): Promise<Prediction> {
  const size: Pair = [input.height, input.width];
  // Overlap tiles (a net with a label crop) run any size, the image mirrored where it is too small.
  const tiles = !!scoreOffset(info) || tileable(sizes, size);
  sizes?.check(size, name, { hint: tiles ? 'resize it, or use --tile' : 'resize it' });
  try {
    return inInputFrame(await runTile(model, info, input), size, scoreOffset(info), info.net);
  } catch (e) {
    throw isOutOfMemory(e) ? outOfMemory(`${info.net} on ${name} (${size[0]}x${size[1]})`, size, sizes, false) : e;
  }
}

/** The input through the net in tiles: blended (tile.ts), or overlap tiles for a net with a label crop (overlap-tile.ts). */
async function segmentTiled(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  sizes: NetSizes | undefined,
  input: NetArray,
  name: string,
  tile: number,
  options: SegmentOptions,
): Promise<Prediction> {
  if (!sizes)
    throw new UserError(
      `--tile needs the net's definition: the model's fcn.json predates carrying it and ${info.source} is not there; compile the model again`,
    );
  const offset = scoreOffset(info);
  if (offset) return segmentOverlapTiled(model, info, sizes, offset, input, name, tile, options);
  const size: Pair = [input.height, input.width];
  const plan = planTiles(sizes.tileGeometry(scoreOutput(info)), size, tile);
  if (!plan) {
    // Either the image is smaller than any size the net takes (which the check explains), or the tile is.
    if (!tileable(sizes, size)) sizes.check(size, name, { hint: 'resize it' });
    throw tileTooSmall(info, tile, sizes.nearest([1, 1]));
  }
  const run = (onTile: (done: number) => void) => predictTiled(model, info, input, plan, onTile);
  return runPlan(plan, [plan.rows.size, plan.cols.size], run, info, sizes, name, options);
}

/**
 * The input through a net whose scores are a crop of it (U-Net), in overlap tiles: every pixel
 * labelled, the image mirrored past its edges, so any size runs, even one smaller than the net takes.
 */
async function segmentOverlapTiled(
  model: tf.LayersModel | TileRunner,
  info: ModelInfo,
  sizes: NetSizes,
  offset: Pair,
  input: NetArray,
  name: string,
  tile: number,
  options: SegmentOptions,
): Promise<Prediction> {
  const geometry = sizes.overlapGeometry(scoreOutput(info), offset);
  const plan = planOverlapTiles(geometry, [input.height, input.width], tile);
  if (!plan) throw tileTooSmall(info, tile, geometry.smallest(), geometry.exact ? ' with no layer rounding' : '');
  const run = (onTile: (done: number) => void) => predictOverlapTiled(model, info, input, plan, onTile);
  return runPlan(plan, [plan.rows.input, plan.cols.input], run, info, sizes, name, options);
}

/** Runs a tile plan of tiles of `tile` [h, w] after telling `onPlan`; running out of memory becomes a UserError about the tile size. */
async function runPlan(
  plan: TilePlan | OverlapTilePlan,
  [th, tw]: Pair,
  run: (onTile: (done: number) => void) => Promise<Prediction>,
  info: ModelInfo,
  sizes: NetSizes,
  name: string,
  options: SegmentOptions,
): Promise<Prediction> {
  options.onPlan?.(plan);
  const count = plan.rows.starts.length * plan.cols.starts.length;
  try {
    return await run((done) => options.onTile?.(done, count));
  } catch (e) {
    throw isOutOfMemory(e) ? outOfMemory(`${info.net} on ${name} in ${th}x${tw} tiles`, [th, tw], sizes, true) : e;
  }
}

/** A --tile smaller than any tile the net takes (`how`: ' with no layer rounding'): misuse. */
function tileTooSmall(info: ModelInfo, tile: number, smallest: Pair | null, how = ''): UserError {
  const which = smallest ? ` (the smallest is ${smallest[0]}x${smallest[1]})` : '';
  return new UserError(`--tile ${tile} is smaller than any tile net ${info.net} takes${how}${which}`, 2);
}

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GB`;

/**
 * Running out of memory as a user error: how much a forward pass holds at `size` (a whole
 * image, or a tile) by NetSizes.peakBytes, from the compiler's memory per blob, and on wasm
 * the largest size of that aspect that fits the heap: as an image size, or as a --tile size.
 */
function outOfMemory(running: string, size: Pair, sizes: NetSizes | undefined, tiled: boolean): UserError {
  const what = `out of memory running net ${running}`;
  const instead = tiled ? 'use a smaller --tile' : 'resize the image, or use --tile';
  if (!sizes) return new UserError(`${what}: ${instead}`);
  const need = `a forward pass at ${size[0]}x${size[1]} needs about ${gb(sizes.peakBytes(size))}`;
  if (!heapBackend()) return new UserError(`${what}: ${need}; ${instead}`);
  // Headroom for the heap's fragmentation.
  const budget = 0.9 * (WASM_HEAP_MAX - sizes.weightBytes());
  const fits = sizes.largestFitting(size, budget);
  const advice = !fits
    ? instead
    : tiled
      ? `use --tile ${Math.min(...fits)} or less`
      : `the largest size that fits is about ${fits[0]}x${fits[1]}: resize the image to it, or use --tile`;
  return new UserError(`${what}: ${need}, the wasm heap holds at most ${gb(WASM_HEAP_MAX)}; ${advice}`);
}

/** A `.npy` file ([C, H, W] float32) as the net's input, fed exactly as it is. */
export async function readNpyInput(file: string, info: ModelInfo): Promise<NetArray> {
  const array = await readNpy(file);
  return chwToArray(array.data, array.shape, info, file);
}
