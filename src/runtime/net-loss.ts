/**
 * The loss a net trains on: the sum of its softmax losses, each over its score output and its
 * label input. Shared by the Trainer and the data-parallel workers, which pass the whole
 * batch's normalisers so that a shard's loss is exactly its part of the batch's.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelInfo } from './info.js';
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
      const labels = batch.labels[l.label];
      if (!labels) throw new Error(`no labels for ${l.label}`);
      const normaliser = options.normalisers?.[l.name];
      total = tf.add(total, softmaxLoss(scores, labels, normaliser === undefined ? l : { ...l, normaliser }));
    }
    return total;
  });
}
