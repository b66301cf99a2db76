/**
 * CaffePReLU: Caffe's PReLU, y = max(0, x) + a·min(0, x) with a learned slope a per channel,
 * or one slope for all (channel_shared). The weight `alpha` has C entries, or 1.
 */
import * as tf from '@tensorflow/tfjs';
import { oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import type { Plan } from './plan.js';

export class CaffePReLU extends tf.layers.Layer {
  static className = 'FcnCaffePReLU';
  readonly shared: boolean;

  constructor(args: BaseLayerArgs & { shared?: boolean }) {
    super(args);
    this.shared = args.shared === true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = oneShape(inputShape)[3];
    if (typeof c !== 'number') throw new Error(`${this.name}: the channel count of the input must be known`);
    this.addWeight('alpha', [this.shared ? 1 : c], 'float32', tf.initializers.constant({ value: 0.25 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      return tf.add(tf.relu(x), tf.mul(this.weights[0]!.read(), tf.minimum(x, 0)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shared: this.shared };
  }
}
tf.serialization.registerClass(CaffePReLU);

/** The runtime twin of `prelu`. */
export const preluPlan: Plan<'prelu'> = (node) => ({
  layer: new CaffePReLU({ name: node.name, shared: node.params.shared }),
  weights: [{ weight: 'alpha', spec: node.params.weight, init: node.params.weight.init, layout: { kind: 'vector' } }],
});
