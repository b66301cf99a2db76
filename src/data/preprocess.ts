/**
 * What happens to an image between the file and the net: channel order and mean
 * subtraction as the net's `input` declares them, and the training augmentations (mirror
 * flips, crops). Images and labels are HWC / HW typed arrays, transformed together.
 */
import type { ResolvedInput } from '../compiler/resolve/types.js';
import { UserError } from '../diagnostics/index.js';
import type { RgbImage } from './image.js';

/**
 * The part of a net's input declaration that says how to feed it. `channels` is 3 (an RGB
 * image, reordered to `order`) or 1 (the image read as grey); absent means 3.
 */
export type Preprocessing = Pick<ResolvedInput, 'mean' | 'order'> & { channels?: number };

/** The preprocessing an input declaration (a net's, or a model's `fcn.json` input) asks for, and nothing else. */
export function preprocessingOf(input: Preprocessing): Preprocessing {
  return {
    ...(input.mean ? { mean: input.mean } : {}),
    order: input.order,
    ...(input.channels !== undefined && input.channels !== 3 ? { channels: input.channels } : {}),
  };
}

/** The channels an image gives an input of `channels`: 3, or 1 read as grey; anything else is a user error. */
export function imageChannels(name: string, channels: number | undefined): 1 | 3 {
  if (channels === undefined || channels === 3) return 3;
  if (channels === 1) return 1;
  throw new UserError(
    `the net's input ${name ? `${name} ` : ''}has ${channels} channels; an image gives 3 (RGB) or 1 (grey); feed a .npy instead`,
  );
}

/**
 * An RGB pixel's grey level as OpenCV's cvtColor(RGB2GRAY) computes it (Rec. 601 luma in
 * 14-bit fixed point, rounded), which is what Caffe's data layers read with `is_color: false`.
 * A grey image (R = G = B) keeps its values exactly.
 */
export function grey(r: number, g: number, b: number): number {
  return (r * 4899 + g * 9617 + b * 1868 + 8192) >> 14;
}

/**
 * Converts an RGB image to the net's input: for 3 channels, reordered to `order` first, then
 * the mean (given in the net's channel order, as Caffe's BGR means are) subtracted per
 * channel; for 1 channel, the grey level less the mean's one value.
 */
export function toNetInput(image: RgbImage, prep: Preprocessing): Float32Array {
  if (imageChannels('', prep.channels) === 1) return toGreyInput(image, prep);
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

function toGreyInput(image: RgbImage, prep: Preprocessing): Float32Array {
  if (prep.mean && prep.mean.length !== 1)
    throw new UserError(`the net's input mean has ${prep.mean.length} values; a grey (1-channel) input needs 1`);
  const m = prep.mean?.[0] ?? 0;
  const src = image.data;
  const out = new Float32Array(src.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = grey(src[3 * i]!, src[3 * i + 1]!, src[3 * i + 2]!) - m;
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
