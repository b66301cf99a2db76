/**
 * Segmenting one input with a model, as `fcn predict` does: the whole input at once after
 * checking that the net takes its size, or in overlapping tiles (tile.ts) so that any size
 * runs in bounded memory. Running out of memory becomes a UserError that says how much a
 * forward pass needs and, on wasm, the largest size that fits.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Pair } from '../compiler/layers/types.js';
import { UserError } from '../diagnostics/index.js';
import { isOutOfMemory } from '../util/out-of-memory.js';
import { scoreOffset, scoreOutput, type ModelInfo } from './info.js';
import { NetSizes } from './input-size.js';
import { readNpy } from './npy.js';
import { chwToArray, inInputFrame, predict, toTensor, type NetArray, type Prediction } from './predict.js';
import { planTiles, predictTiled, type TilePlan, type TileRunner } from './tile.js';
import { heapBackend, WASM_HEAP_MAX } from './wasm-heap.js';

export interface SegmentOptions {
  /** Run in overlapping tiles at most this many pixels a side (default: the whole input at once). */
  tile?: number;
  /** The input's name in messages (a file name). */
  name?: string;
  /** Hears the tile plan before the first tile runs. */
  onPlan?: (plan: TilePlan) => void;
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
  sizes?.check(size, name, { hint: tileable(sizes, size) ? 'resize it, or use --tile' : 'resize it' });
  const framed = (p: Prediction): Prediction => inInputFrame(p, size, scoreOffset(info), info.net);
  try {
    if (typeof model === 'function') return framed(await model(input));
    const tensor = toTensor(input);
    try {
      return framed(predict(model, info, tensor));
    } finally {
      tensor.dispose();
    }
  } catch (e) {
    throw isOutOfMemory(e) ? outOfMemory(`${info.net} on ${name} (${size[0]}x${size[1]})`, size, sizes, false) : e;
  }
}

/** The input through the net in tiles (tile.ts). */
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
  if (offset)
    throw new UserError(
      `--tile does not yet run nets whose scores are cut to a crop of their input (net ${info.net}'s label crop is at ` +
        `offset ${offset[0]}, ${offset[1]}); run without --tile`,
      2,
    );
  const size: Pair = [input.height, input.width];
  const plan = planTiles(sizes.tileGeometry(scoreOutput(info)), size, tile);
  if (!plan) {
    // Either the image is smaller than any size the net takes (which the check explains), or the tile is.
    if (!tileable(sizes, size)) sizes.check(size, name, { hint: 'resize it' });
    const smallest = sizes.nearest([1, 1])!;
    throw new UserError(
      `--tile ${tile} is smaller than any tile net ${info.net} takes (the smallest is ${smallest[0]}x${smallest[1]})`,
      2,
    );
  }
  options.onPlan?.(plan);
  const count = plan.rows.starts.length * plan.cols.starts.length;
  const [th, tw] = [plan.rows.size, plan.cols.size];
  try {
    return await predictTiled(model, info, input, plan, (done) => options.onTile?.(done, count));
  } catch (e) {
    throw isOutOfMemory(e) ? outOfMemory(`${info.net} on ${name} in ${th}x${tw} tiles`, [th, tw], sizes, true) : e;
  }
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
