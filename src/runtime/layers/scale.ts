/**
 * CaffeScale: multiplies each channel by a learnable factor (Caffe's Scale layer without bias).
 * The at-once FCN-8s scales pool4 by 0.01 and pool3 by 0.0001, frozen.
 * The weight `scale` has one entry per channel.
 */
import * as tf from '@tensorflow/tfjs';
import { oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import type { Init } from '../../compiler/layers/types.js';
import type { Plan, WeightPlan } from './plan.js';

export class CaffeScale extends tf.layers.Layer {
  static className = 'FcnCaffeScale';

  readonly useBias: boolean;

  constructor(args: BaseLayerArgs & { useBias?: boolean } = {}) {
    super(args);
    this.useBias = args.useBias === true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = oneShape(inputShape)[3];
    if (typeof c !== 'number') throw new Error(`${this.name}: the channel count of the input must be known`);
    this.addWeight('scale', [c], 'float32', tf.initializers.ones());
    if (this.useBias) this.addWeight('bias', [c], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const y = tf.mul(single(inputs), this.weights[0]!.read());
      return this.useBias ? tf.add(y, this.weights[1]!.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), useBias: this.useBias };
  }
}
tf.serialization.registerClass(CaffeScale);

/** The runtime twin of `scale`. */
export const scalePlan: Plan<'scale'> = (node) => {
  const p = node.params;
  // The declared value is the initial factor; a non-constant init in the weight section wins.
  const init: Init = p.weight.init.kind === 'constant' ? { kind: 'constant', value: p.value } : p.weight.init;
  const weights: WeightPlan[] = [{ weight: 'scale', spec: p.weight, init, layout: { kind: 'vector' } }];
  // The shift learns as the factor does, as Caffe's Scale with bias_term.
  if (p.biasTerm)
    weights.push({ weight: 'bias', spec: p.weight, init: { kind: 'constant', value: 0 }, layout: { kind: 'vector' } });
  return { layer: new CaffeScale({ name: node.name, useBias: p.biasTerm }), weights };
};
