/**
 * What happens to an image between the file and the net: channel order and mean
 * subtraction as the net's `input` declares them, and the training augmentations (mirror
 * flips, crops). Images and labels are HWC / HW typed arrays, transformed together.
 */
import type { ResolvedInput } from '../compiler/resolve/types.js';
import { UserError } from '../diagnostics/index.js';
import type { RgbImage } from './image.js';

/** The part of a net's input declaration that says how to feed it. */
export type Preprocessing = Pick<ResolvedInput, 'mean' | 'order'>;

/** The preprocessing an input declaration (a net's, or a model's `fcn.json` input) asks for, and nothing else. */
export function preprocessingOf(input: Preprocessing): Preprocessing {
  return { ...(input.mean ? { mean: input.mean } : {}), order: input.order };
}

/**
 * Converts an RGB image to the net's input: channels reordered to `order` first, then the
 * mean (given in the net's channel order, as Caffe's BGR means are) subtracted per channel.
 */
export function toNetInput(image: RgbImage, prep: Preprocessing): Float32Array {
  const mean = prep.mean ?? [0, 0, 0];
  if (mean.length !== 3 && mean.length !== 1) {
    throw new UserError(`the net's input mean has ${mean.length} values; an RGB image needs 3 (or 1 for all channels)`);
  }
  const m = mean.length === 3 ? mean : [mean[0]!, mean[0]!, mean[0]!];
  const src = image.data;
  const out = new Float32Array(src.length);
  const bgr = prep.order === 'bgr';
  // Output channel c reads source channel (bgr ? 2 - c : c).
  const [s0, s1, s2] = bgr ? [2, 1, 0] : [0, 1, 2];
  const [m0, m1, m2] = m as [number, number, number];
  for (let i = 0; i < src.length; i += 3) {
    out[i] = src[i + s0]! - m0;
    out[i + 1] = src[i + s1]! - m1;
    out[i + 2] = src[i + s2]! - m2;
  }
  return out;
}

type Pixels = Float32Array | Uint8Array;

/** Mirrors an HWC array left to right (a new array of the same type). */
export function flipHorizontal<T extends Pixels>(data: T, height: number, width: number, channels: number): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const src = (row + x) * channels;
      const dst = (row + width - 1 - x) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = data[src + c]!;
    }
  }
  return out;
}

/**
 * Cuts an `outH`×`outW` window whose top-left corner is (y0, x0) out of an HWC array. Parts of
 * the window outside the source (negative or too large offsets) are filled with `fill`.
 */
export function cropOrPad<T extends Pixels>(
  data: T,
  height: number,
  width: number,
  channels: number,
  y0: number,
  x0: number,
  outH: number,
  outW: number,
  fill: number,
): T {
  const out = new (data.constructor as new (n: number) => T)(outH * outW * channels);
  if (fill !== 0) out.fill(fill);
  const xs = Math.max(0, -x0);
  const xe = Math.min(outW, width - x0);
  if (xe <= xs) return out;
  for (let y = Math.max(0, -y0); y < Math.min(outH, height - y0); y++) {
    const src = ((y + y0) * width + x0 + xs) * channels;
    out.set(data.subarray(src, src + (xe - xs) * channels), (y * outW + xs) * channels);
  }
  return out;
}
