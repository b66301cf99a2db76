/**
 * Caffe's SoftmaxWithLoss over NHWC score maps, with its exact value and gradient.
 *
 * loss = −weight/normaliser · Σ log max(p[label], FLT_MIN) over pixels whose label is not
 * `ignore`. The normaliser is the number of counted pixels (at least 1) when `normalize` is
 * true (Caffe's VALID), else the batch size (Caffe's BATCH_SIZE, which is what
 * `normalize: false` selects). The gradient is Caffe's (p − onehot) on counted pixels, zero
 * on ignored ones, times weight/normaliser.
 *
 * The native backend computes it in its addon, in one pass (native/softmax-loss.ts).
 *
 * A shard of a batch (data-parallel training) is given the whole batch's normaliser: its loss
 * and gradient are then exactly its part of the batch's, and the shards' sum is the batch's.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeSoftmaxLoss } from './native/softmax-loss.js';

/** The loss settings (ModelLoss carries them). */
export interface SoftmaxLossParams {
  ignore?: number;
  normalize: boolean;
  weight: number;
  /** Divide by this instead of the scores' own count or batch size (a shard takes its batch's). */
  normaliser?: number;
}

/** log(FLT_MIN): Caffe clamps the probability at FLT_MIN before the log. */
const LOG_FLT_MIN = Math.log(1.1754943508222875e-38);

/**
 * The loss of `scores` [N, H, W, C] against integer `labels` [N, H, W] (or [N, H, W, 1]).
 * Differentiable in `scores`.
 */
export function softmaxLoss(scores: tf.Tensor4D, labels: tf.Tensor, params: SoftmaxLossParams): tf.Scalar {
  const [n, h, w, c] = scores.shape;
  const lab = labels.rank === 4 ? tf.squeeze(labels, [3]) : labels;
  if (!tf.util.arraysEqual(lab.shape, [n, h, w])) {
    throw new Error(
      `softmax_loss: labels of shape [${labels.shape}] do not match scores [${scores.shape}] (N, H, W must agree)`,
    );
  }
  if (tf.getBackend() === 'native') return nativeSoftmaxLoss(scores, tf.cast(lab, 'int32'), params);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const s = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const labInt = tf.cast(lab, 'int32');
    const valid =
      params.ignore === undefined
        ? tf.onesLike(labInt).toFloat()
        : tf.cast(tf.notEqual(labInt, tf.scalar(params.ignore, 'int32')), 'float32');
    const safe = tf.mul(labInt, tf.cast(valid, 'int32'));
    const onehot = tf.oneHot(tf.reshape(safe, [-1]), c).reshape([n, h, w, c]);
    const logp = tf.logSoftmax(s, -1);
    const picked = tf.maximum(tf.sum(tf.mul(logp, onehot), -1), LOG_FLT_MIN);
    const normaliser =
      params.normaliser !== undefined
        ? tf.scalar(params.normaliser)
        : params.normalize
          ? tf.maximum(tf.sum(valid), 1)
          : tf.scalar(n);
    const scale = tf.div(tf.scalar(params.weight), normaliser);
    const value = tf.mul(tf.neg(tf.sum(tf.mul(picked, valid))), scale) as tf.Scalar;
    save([logp, onehot, valid, scale]);
    return {
      value,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const [lp, oh, v, sc] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const diff = tf.mul(tf.sub(tf.exp(lp), oh), tf.expandDims(v, -1));
        return [tf.mul(diff, tf.mul(dy, sc))];
      },
    };
  });
  return f(scores) as tf.Scalar;
}

/**
 * The normaliser softmaxLoss divides by for a whole batch of `batch` images with these labels:
 * the count of labels other than `ignore` (at least 1) when `normalize`, else the batch size.
 */
export function lossNormaliser(labels: ArrayLike<number>, batch: number, params: SoftmaxLossParams): number {
  if (!params.normalize) return batch;
  if (params.ignore === undefined) return Math.max(labels.length, 1);
  let counted = 0;
  // `| 0` truncates as the loss's cast to int32 does.
  for (let i = 0; i < labels.length; i++) if ((labels[i]! | 0) !== params.ignore) counted++;
  return Math.max(counted, 1);
}
