/**
 * One shard's part of a data-parallel step: its loss and the gradient of every trainable
 * weight, with the whole batch's loss normalisers, so that the shards' gradients sum to the
 * batch's. The same code runs on the main thread (shard 0) and in the workers.
 */
import type * as tf from '@tensorflow/tfjs';
import { streamingGradients } from '../backprop.js';
import type { ModelInfo } from '../info.js';
import { netLoss, type Batch } from '../net-loss.js';
import type { Packing } from './packing.js';

export interface ShardGradient {
  loss: number;
  /** The gradients packed by `packing`; zeros for a weight the loss does not depend on. */
  gradient: Float32Array;
}

/** Differentiates the net's loss on `batch` with respect to `variables`, packed by `packing` into `gradient` (default: a new array). */
export function shardGradient(
  model: tf.LayersModel,
  info: ModelInfo,
  variables: tf.Variable[],
  packing: Packing,
  batch: Batch,
  normalisers: Record<string, number>,
  gradient: Float32Array = new Float32Array(packing.length),
): ShardGradient {
  gradient.fill(0);
  const { value } = streamingGradients(
    () => netLoss(model, info, batch, { normalisers }),
    variables,
    (i, grad) => {
      packing.write(gradient, i, grad);
      grad.dispose();
    },
  );
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, gradient };
}
