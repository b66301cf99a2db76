/**
 * Eltwise: Caffe's Eltwise PROD and MAX (SUM is EltwiseSum, which `eltwise { operation: sum }`
 * uses too). All inputs must have one shape: no broadcasting, as in Caffe.
 */
import * as tf from '@tensorflow/tfjs';
import { checkEnum, type BaseLayerArgs, type Shape } from './args.js';
import { bare, type Plan } from './plan.js';
import { EltwiseSum } from './sum.js';

export class Eltwise extends tf.layers.Layer {
  static className = 'FcnEltwise';
  readonly operation: 'prod' | 'max';

  constructor(args: BaseLayerArgs & { operation: 'prod' | 'max' }) {
    super(args);
    this.operation = checkEnum(this.name, 'operation', args.operation, ['prod', 'max'] as const);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    return shapes[0]!.map((d, i) => d ?? shapes.find((s) => s[i] !== null)?.[i] ?? null);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      for (const x of xs)
        if (!tf.util.arraysEqual(x.shape, xs[0]!.shape))
          throw new Error(`${this.name}: cannot combine shapes [${xs[0]!.shape}] and [${x.shape}]`);
      const op = this.operation === 'prod' ? tf.mul : tf.maximum;
      return xs.slice(1).reduce((a, x) => op(a, x), xs[0]!);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), operation: this.operation };
  }
}
tf.serialization.registerClass(Eltwise);

/** The runtime twin of `eltwise`. */
export const eltwisePlan: Plan<'eltwise'> = (node) => {
  const p = node.params;
  return bare(
    p.operation === 'sum'
      ? new EltwiseSum({ name: node.name, coeff: p.coeff ?? null })
      : new Eltwise({ name: node.name, operation: p.operation }),
  );
};
