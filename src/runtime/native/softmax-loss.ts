/**
 * Caffe's SoftmaxWithLoss on the native backend (the rule is loss.ts's): the loss and its
 * gradient in one pass of the addon (native/src/loss.cc). On the cpu backend's kernels the
 * loss is a dozen passes over the scores (log-softmax, exp again for the gradient, one-hot,
 * masks, sums); in a tiny-fcn8s training step they took a fifth of the time.
 */
import * as tf from '@tensorflow/tfjs';
import type { SoftmaxLossParams } from '../loss.js';
import { addon } from './addon.js';

/** The loss of `scores` [N, H, W, C] against int32 `labels` [N, H, W], differentiable in `scores`. */
export function nativeSoftmaxLoss(scores: tf.Tensor4D, labels: tf.Tensor, params: SoftmaxLossParams): tf.Scalar {
  const [n, , , c] = scores.shape;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const s = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const grad = new Float32Array(s.size);
    const [total, counted] = addon().softmaxLoss(
      s.dataSync() as Float32Array,
      labels.dataSync() as Int32Array,
      grad,
      c,
      params.ignore ?? 0,
      params.ignore !== undefined,
    );
    const normaliser = params.normaliser ?? (params.normalize ? Math.max(counted!, 1) : n);
    // float32 as the cpu path's tensors round it
    const scale = tf.scalar(Math.fround(params.weight / normaliser));
    const value = tf.mul(tf.scalar(-Math.fround(total!)), scale) as tf.Scalar;
    save([tf.tensor(grad, s.shape), scale]);
    return {
      value,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const [g, sc] = saved as [tf.Tensor, tf.Tensor];
        return [tf.mul(g, tf.mul(dy, sc))];
      },
    };
  });
  return f(scores) as tf.Scalar;
}
