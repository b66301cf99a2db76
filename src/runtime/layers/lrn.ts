/**
 * CaffeLRN: Caffe's local response normalisation across channels,
 *   y = x / (k + alpha/n · Σ x²)^beta over the n channels centred on each one.
 * tfjs's localResponseNormalization takes a radius (n − 1)/2 and an alpha that it does not
 * divide by n, so alpha/n is passed.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkNumber, oneShape, single, type BaseLayerArgs, type Shape } from './args.js';
import { bare, type Plan } from './plan.js';

export interface CaffeLRNArgs extends BaseLayerArgs {
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

export class CaffeLRN extends tf.layers.Layer {
  static className = 'FcnCaffeLRN';
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(args: CaffeLRNArgs) {
    super(args);
    this.size = checkInt(this.name, 'size', args.size, 1);
    if (this.size % 2 !== 1) throw new Error(`${this.name}: size must be odd (Caffe's rule), got ${this.size}`);
    this.alpha = checkNumber(this.name, 'alpha', args.alpha);
    this.beta = checkNumber(this.name, 'beta', args.beta);
    this.k = checkNumber(this.name, 'k', args.k);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() =>
      tf.localResponseNormalization(
        single(inputs) as tf.Tensor4D,
        (this.size - 1) / 2,
        this.k,
        this.alpha / this.size,
        this.beta,
      ),
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, alpha: this.alpha, beta: this.beta, k: this.k };
  }
}
tf.serialization.registerClass(CaffeLRN);

/** The runtime twin of `lrn`. */
export const lrnPlan: Plan<'lrn'> = (node) => bare(new CaffeLRN({ name: node.name, ...node.params }));
