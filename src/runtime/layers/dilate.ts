/**
 * Kernel dilation by zero insertion, for the cases where tfjs's own dilated convolution cannot
 * be used: tfjs has no gradient for it, and refuses a stride and a dilation both above one.
 * A kernel dilated by d is the same kernel with d − 1 zeros between taps; built from reshape,
 * pad and slice it stays differentiable on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Pair } from './args.js';

/** Inserts zeros between the taps of a [kh, kw, a, b] kernel: [d·(kh−1)+1, d·(kw−1)+1, a, b]. */
export function dilateKernel(kernel: tf.Tensor4D, dilation: Pair): tf.Tensor4D {
  const [dh, dw] = dilation;
  if (dh === 1 && dw === 1) return kernel;
  const [kh, kw, a, b] = kernel.shape;
  const spread = tf.pad(tf.reshape(kernel, [kh, 1, kw, 1, a, b]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  const grid = tf.reshape(spread, [kh * dh, kw * dw, a, b]);
  return tf.slice(grid, [0, 0, 0, 0], [dh * (kh - 1) + 1, dw * (kw - 1) + 1, a, b]) as tf.Tensor4D;
}
