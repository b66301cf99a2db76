/**
 * CaffeBatchNorm: Caffe's BatchNorm (batch_norm_layer.cpp), which has no affine part. It
 * keeps Caffe's three blobs: the running sums of the mean and of the variance, and the
 * factor they are divided by (`moving_mean`, `moving_variance`, `factor`). In training,
 * unless `global`, it normalises with the batch's statistics (the variance biased) and then
 * updates sum ← λ·sum + statistic (the variance with the m/(m−1) correction, m = N·H·W) and
 * factor ← λ·factor + 1. Otherwise it normalises with sum/factor (0 when the factor is 0).
 */
import * as tf from '@tensorflow/tfjs';
import { checkNumber, oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import { stateWeight, type Plan } from './plan.js';

export interface CaffeBatchNormArgs extends BaseLayerArgs {
  eps: number;
  /** Caffe's moving_average_fraction λ. */
  momentum: number;
  /** Caffe's use_global_stats: the stored statistics in training too. */
  global: boolean;
}

export class CaffeBatchNorm extends tf.layers.Layer {
  static className = 'FcnCaffeBatchNorm';
  readonly eps: number;
  readonly momentum: number;
  readonly global: boolean;

  constructor(args: CaffeBatchNormArgs) {
    super(args);
    this.eps = checkNumber(this.name, 'eps', args.eps);
    this.momentum = checkNumber(this.name, 'momentum', args.momentum);
    this.global = args.global === true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = oneShape(inputShape)[3];
    if (typeof c !== 'number') throw new Error(`${this.name}: the channel count of the input must be known`);
    this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.addWeight('factor', [1], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    const x = single(inputs);
    const [meanSum, varSum, factor] = this.weights as [tf.LayerVariable, tf.LayerVariable, tf.LayerVariable];
    if (kwargs['training'] === true && !this.global) {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const m = x.size / x.shape[3]!;
      const λ = this.momentum;
      tf.tidy(() => {
        const correction = m > 1 ? m / (m - 1) : 1;
        const stop = (t: tf.Tensor) => tf.tensor(t.dataSync(), t.shape);
        meanSum.write(tf.add(tf.mul(meanSum.read(), λ), stop(mean)));
        varSum.write(tf.add(tf.mul(varSum.read(), λ), tf.mul(stop(variance), correction)));
        factor.write(tf.add(tf.mul(factor.read(), λ), 1));
      });
      return tf.tidy(() => tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.eps))));
    }
    return tf.tidy(() => {
      const f = factor.read();
      const inv = tf.where(tf.equal(f, 0), tf.zerosLike(f), tf.div(1, f));
      const mean = tf.mul(meanSum.read(), inv);
      const variance = tf.mul(varSum.read(), inv);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.eps)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), eps: this.eps, momentum: this.momentum, global: this.global };
  }
}
tf.serialization.registerClass(CaffeBatchNorm);

/** The runtime twin of `batch_norm`: Caffe's three blobs, which training never differentiates. */
export const batchNormPlan: Plan<'batch_norm'> = (node) => ({
  layer: new CaffeBatchNorm({ name: node.name, ...node.params }),
  weights: [stateWeight('moving_mean', 0), stateWeight('moving_variance', 1), stateWeight('factor', 1)],
});
