/**
 * CaffeScale: multiplies each channel by a learnable factor (Caffe's Scale layer without bias).
 * The at-once FCN-8s scales pool4 by 0.01 and pool3 by 0.0001, frozen.
 * The weight `scale` has one entry per channel.
 */
import * as tf from '@tensorflow/tfjs';
import { oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import type { Init } from '../../compiler/layers/types.js';
import type { Plan } from './plan.js';

export class CaffeScale extends tf.layers.Layer {
  static className = 'FcnCaffeScale';

  constructor(args: BaseLayerArgs = {}) {
    super(args);
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = oneShape(inputShape)[3];
    if (typeof c !== 'number') throw new Error(`${this.name}: the channel count of the input must be known`);
    this.addWeight('scale', [c], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(single(inputs), this.weights[0]!.read()));
  }
}
tf.serialization.registerClass(CaffeScale);

/** The runtime twin of `scale`. */
export const scalePlan: Plan<'scale'> = (node) => {
  const p = node.params;
  // The declared value is the initial factor; a non-constant init in the weight section wins.
  const init: Init = p.weight.init.kind === 'constant' ? { kind: 'constant', value: p.value } : p.weight.init;
  return {
    layer: new CaffeScale({ name: node.name }),
    weights: [{ weight: 'scale', spec: p.weight, init, layout: { kind: 'vector' } }],
  };
};
