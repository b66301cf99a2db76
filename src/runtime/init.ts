/**
 * Weight initialisers with Caffe's definitions (include/caffe/filler.hpp), seeded so that the
 * same seed gives the same weights on every machine:
 * - gaussian(std, mean): N(mean, std²);
 * - xavier: U(−a, a) with a = sqrt(3 / fan_in);
 * - msra: N(0, 2 / fan_in);
 * - constant(v);
 * - bilinear: FCN's upsampling kernel, on the diagonal (channel c to channel c), zero elsewhere.
 * fan_in is Caffe's `count / shape[0]` of the blob as Caffe shapes it: (out, in/group, kh, kw)
 * for a convolution, but (in, out/group, kh, kw) for a deconvolution, so a deconvolution's
 * fan_in is out/group · kh · kw.
 *
 * Each parameter draws from its own stream, keyed by its name, so adding a layer never
 * changes another layer's weights.
 */
import type { Init } from '../compiler/layers/types.js';
import { Rng } from '../data/random.js';

/** How a parameter blob is laid out, which decides fan_in and where the bilinear diagonal lies. */
export type ParamLayout =
  /** conv kernel, tfjs [kh, kw, in/group, out] */
  | { kind: 'conv'; group: number }
  /** deconv kernel, tfjs [kh, kw, out/group, in] */
  | { kind: 'deconv'; group: number }
  /** inner-product kernel, tfjs [in, out] */
  | { kind: 'fc' }
  /** bias or per-channel scale, [n] */
  | { kind: 'vector' };

/** Caffe's fan_in of a parameter with this tfjs shape and layout. */
export function fanIn(shape: number[], layout: ParamLayout): number {
  const size = shape.reduce((a, b) => a * b, 1);
  switch (layout.kind) {
    case 'conv':
      return size / shape[3]!; // Caffe shape[0] = out
    case 'deconv':
      return size / shape[3]!; // Caffe shape[0] = in
    case 'fc':
      return shape[0]!;
    case 'vector':
      return 1;
  }
}

/** FCN's bilinear upsampling weights along one axis of a kernel of size k. */
export function bilinear1d(k: number): number[] {
  const factor = Math.ceil(k / 2);
  const centre = k % 2 === 1 ? factor - 1 : factor - 0.5;
  return Array.from({ length: k }, (_, i) => 1 - Math.abs(i - centre) / factor);
}

/** A 32-bit FNV-1a hash, to key a parameter's random stream by its name. */
export function nameKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fillBilinear(out: Float32Array, shape: number[], layout: ParamLayout, name: string): void {
  if (shape.length !== 4 || (layout.kind !== 'conv' && layout.kind !== 'deconv')) {
    throw new Error(`${name}: bilinear init needs a conv or deconv kernel`);
  }
  const [kh, kw, a, b] = shape as [number, number, number, number];
  const fy = bilinear1d(kh);
  const fx = bilinear1d(kw);
  // conv [kh, kw, in/g, out]: output o (group g = o / (out/g)) reads local input o mod (out/g).
  // deconv [kh, kw, out/g, in]: input i (group g) writes local output i mod (in/g).
  const perGroup = b / layout.group;
  for (let j = 0; j < b; j++) {
    const i = j % perGroup;
    if (i >= a) continue;
    for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[((y * kw + x) * a + i) * b + j] = fy[y]! * fx[x]!;
  }
}

/**
 * The initial values of one parameter, in tfjs layout. `name` (e.g. `vgg.conv1_1/kernel`)
 * keys the random stream together with `seed`.
 */
export function initValues(init: Init, shape: number[], layout: ParamLayout, seed: number, name: string): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  switch (init.kind) {
    case 'constant':
      out.fill(init.value);
      return out;
    case 'bilinear':
      fillBilinear(out, shape, layout, name);
      return out;
    case 'gaussian': {
      const rng = new Rng(seed, nameKey(name));
      for (let i = 0; i < size; i++) out[i] = init.mean + init.std * rng.normal();
      return out;
    }
    case 'msra': {
      const rng = new Rng(seed, nameKey(name));
      const std = Math.sqrt(2 / fanIn(shape, layout));
      for (let i = 0; i < size; i++) out[i] = std * rng.normal();
      return out;
    }
    case 'xavier': {
      const rng = new Rng(seed, nameKey(name));
      const a = Math.sqrt(3 / fanIn(shape, layout));
      for (let i = 0; i < size; i++) out[i] = rng.range(-a, a);
      return out;
    }
  }
}
