/**
 * CaffeFc: Caffe's InnerProduct. The input is flattened in Caffe's (C, H, W) order, so that
 * Caffe weights (out, C·H·W) load by a plain transpose; the kernel is [C·H·W, out]. The output
 * stays 4-D, [N, 1, 1, out], so the layers after it need no special case.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import { kernelAndBias, type Plan } from './plan.js';

export interface CaffeFcArgs extends BaseLayerArgs {
  units: number;
  useBias?: boolean;
}

export class CaffeFc extends tf.layers.Layer {
  static className = 'FcnCaffeFc';
  readonly units: number;
  readonly useBias: boolean;

  constructor(args: CaffeFcArgs) {
    super(args);
    this.units = checkInt(this.name, 'units', args.units, 1);
    this.useBias = args.useBias ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [, h, w, c] = oneShape(inputShape);
    if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number') {
      throw new Error(`${this.name}: an inner product needs a fixed input size (give the net an input size)`);
    }
    this.addWeight('kernel', [c * h * w, this.units], 'float32', tf.initializers.zeros());
    if (this.useBias) this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [oneShape(inputShape)[0]!, 1, 1, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const flat = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [x.shape[0], -1]) as tf.Tensor2D;
      let y = tf.matMul(flat, this.weights[0]!.read() as tf.Tensor2D);
      if (this.useBias) y = tf.add(y, this.weights[1]!.read());
      return tf.reshape(y, [x.shape[0], 1, 1, this.units]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias };
  }
}
tf.serialization.registerClass(CaffeFc);

/** The runtime twin of `fc`. */
export const fcPlan: Plan<'fc'> = (node) => {
  const p = node.params;
  return {
    layer: new CaffeFc({ name: node.name, units: p.out, useBias: p.biasTerm }),
    weights: kernelAndBias(p, { kind: 'fc' }),
  };
};
