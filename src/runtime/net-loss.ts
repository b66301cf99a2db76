/**
 * The loss a net trains on: the sum of its softmax losses, each over its score output and its
 * label input. Shared by the Trainer and the data-parallel workers, which pass the whole
 * batch's normalisers so that a shard's loss is exactly its part of the batch's.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelInfo, ModelLoss } from './info.js';
import { softmaxLoss } from './loss.js';

/** Model inputs by input name, labels by label-input name. */
export interface Batch {
  inputs: Record<string, tf.Tensor4D>;
  labels: Record<string, tf.Tensor>;
}

export interface NetLossOptions {
  /** Training mode (default true). */
  training?: boolean;
  /** Each loss's normaliser by loss name, instead of the batch's own (loss.ts). */
  normalisers?: Record<string, number>;
}

/**
 * The labels a loss compares with scores of `scoreShape` [N, H, W, C]: the label input
 * itself, or, for `crop(label)`, its window at the loss's offset.
 */
export function lossLabels(loss: ModelLoss, labels: tf.Tensor, scoreShape: readonly number[]): tf.Tensor {
  if (!loss.labelOffset) return labels;
  const [n, h, w] = scoreShape as [number, number, number];
  const [oh, ow] = loss.labelOffset;
  const [, lh, lw] = labels.shape as [number, number, number];
  if (oh + h > lh || ow + w > lw)
    throw new Error(
      `${loss.name}: cannot cut ${h}×${w} scores' labels at offset [${oh}, ${ow}] from ${lh}×${lw} labels`,
    );
  const begin = labels.rank === 4 ? [0, oh, ow, 0] : [0, oh, ow];
  const size = labels.rank === 4 ? [n, h, w, -1] : [n, h, w];
  return tf.slice(labels, begin, size);
}

/** The total loss of `batch` (a scalar; the caller disposes it). */
export function netLoss(model: tf.LayersModel, info: ModelInfo, batch: Batch, options: NetLossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const feeds = info.inputs.map((i) => {
      const t = batch.inputs[i.name];
      if (!t) throw new Error(`no data for input ${i.name}`);
      return t;
    });
    const out = model.apply(feeds.length === 1 ? feeds[0]! : feeds, { training: options.training ?? true });
    const outs = Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
    let total: tf.Scalar = tf.scalar(0);
    for (const l of info.losses) {
      const scores = outs[info.outputs.indexOf(l.score)] as tf.Tensor4D;
      const whole = batch.labels[l.label];
      if (!whole) throw new Error(`no labels for ${l.label}`);
      const labels = lossLabels(l, whole, scores.shape);
      const normaliser = options.normalisers?.[l.name];
      total = tf.add(total, softmaxLoss(scores, labels, normaliser === undefined ? l : { ...l, normaliser }));
    }
    return total;
  });
}
