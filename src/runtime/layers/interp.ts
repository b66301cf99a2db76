/**
 * CaffeInterp: DeepLab's Caffe Interp, a bilinear resize with the corners aligned (PyTorch's
 * `align_corners=True`; tfjs's resizeBilinear with alignCorners): output x samples input
 * x·(in − 1)/(out − 1). By a zoom factor z, out = in + (in − 1)(z − 1); with a second input,
 * to that input's size.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, mapSize, type BaseLayerArgs, type Shape } from './args.js';
import { bare, type Plan } from './plan.js';

export interface CaffeInterpArgs extends BaseLayerArgs {
  /** Zoom factor; null: the size of the second input. */
  factor: number | null;
}

const zoom = (z: number) => (n: number) => n + (n - 1) * (z - 1);

export class CaffeInterp extends tf.layers.Layer {
  static className = 'FcnCaffeInterp';
  readonly factor: number | null;

  constructor(args: CaffeInterpArgs) {
    super(args);
    this.factor = args.factor === null ? null : checkInt(this.name, 'factor', args.factor, 1);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const x = shapes[0]!;
    if (this.factor === null) {
      const like = shapes[1];
      if (!like) throw new Error(`${this.name}: without a factor, Interp takes the size of a second input`);
      return [x[0]!, like[1]!, like[2]!, x[3]!];
    }
    const f = zoom(this.factor);
    return [x[0]!, mapSize(x[1], f), mapSize(x[2], f), x[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const x = xs[0] as tf.Tensor4D;
      const [, h, w] = x.shape;
      const size: [number, number] =
        this.factor === null ? [xs[1]!.shape[1]!, xs[1]!.shape[2]!] : [zoom(this.factor)(h), zoom(this.factor)(w)];
      return tf.image.resizeBilinear(x, size, true);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(CaffeInterp);

/** The runtime twin of `interp`. */
export const interpPlan: Plan<'interp'> = (node) =>
  bare(new CaffeInterp({ name: node.name, factor: node.params.factor ?? null }));
