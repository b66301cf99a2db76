/**
 * EltwiseSum: Caffe's Eltwise SUM, y = Σ coeff_i · x_i. All inputs must have the same shape:
 * unlike tf.add, no broadcasting, so a misaligned skip is an error rather than a silent blend.
 */
import * as tf from '@tensorflow/tfjs';
import { checkNumber, type BaseLayerArgs, type Shape } from './args.js';
import { bare, type Plan } from './plan.js';

export interface EltwiseSumArgs extends BaseLayerArgs {
  /** One coefficient per input; all 1 when absent. */
  coeff?: number[] | null;
}

export class EltwiseSum extends tf.layers.Layer {
  static className = 'FcnEltwiseSum';
  readonly coeff: number[] | null;

  constructor(args: EltwiseSumArgs = {}) {
    super(args);
    this.coeff = args.coeff ? args.coeff.map((c, i) => checkNumber(this.name, `coeff[${i}]`, c)) : null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (this.coeff && this.coeff.length !== shapes.length) {
      throw new Error(`${this.name}: ${this.coeff.length} coefficients for ${shapes.length} inputs`);
    }
    // A known size wins over an unknown one.
    return shapes[0]!.map((d, i) => d ?? shapes.find((s) => s[i] !== null)?.[i] ?? null);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const shape = xs[0]!.shape;
      for (const x of xs) {
        if (!tf.util.arraysEqual(x.shape, shape))
          throw new Error(`${this.name}: cannot sum shapes [${shape}] and [${x.shape}]`);
      }
      const terms = xs.map((x, i) => (this.coeff && this.coeff[i] !== 1 ? tf.mul(x, this.coeff[i]!) : x));
      return terms.length === 1 ? tf.clone(terms[0]!) : tf.addN(terms);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), coeff: this.coeff ? [...this.coeff] : null };
  }
}
tf.serialization.registerClass(EltwiseSum);

/** The runtime twin of `sum`. */
export const sumPlan: Plan<'sum'> = (node) =>
  bare(new EltwiseSum({ name: node.name, coeff: node.params.coeff ?? null }));
