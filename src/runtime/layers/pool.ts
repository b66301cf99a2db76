/**
 * CaffePool: max or average pooling with Caffe's rounding (ceil by default) and Caffe's
 * average divisor.
 *
 * Caffe's ceil rule can add a last window that hangs past the padded input; tfjs only rounds
 * down. So the bottom/right padding is extended to cover exactly the windows Caffe has.
 * Max pooling ignores padding in both frameworks. Average pooling differs: Caffe divides by
 * the window clipped to the padded extent [−p, H + p) (padding counts, the overhang past it
 * does not), while tfjs divides by the valid cells only. So the average is computed as a
 * zero-padded sum (tfjs average over k·k cells of the padded input) times k·k / Caffe's divisor.
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkEnum,
  checkPair,
  explicitPad,
  mapSize,
  poolOutSize,
  oneShape,
  single,
  type BaseLayerArgs,
  type Pair,
  type Shape,
} from './args.js';
import { bare, type Plan } from './plan.js';

export interface CaffePoolArgs extends BaseLayerArgs {
  method: 'max' | 'ave';
  kernel: Pair | number;
  stride?: Pair | number;
  pad?: Pair | number;
  round?: 'ceil' | 'floor';
}

/** Caffe's divisor for each output row (or column) of an average pool along one axis. */
export function caffeAveDivisors(size: number, kernel: number, stride: number, pad: number, out: number): number[] {
  const d: number[] = [];
  for (let i = 0; i < out; i++) {
    const start = i * stride - pad;
    const end = Math.min(start + kernel, size + pad);
    d.push(end - start);
  }
  return d;
}

export class CaffePool extends tf.layers.Layer {
  static className = 'FcnCaffePool';
  readonly method: 'max' | 'ave';
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Pair;
  readonly round: 'ceil' | 'floor';

  constructor(args: CaffePoolArgs) {
    super(args);
    this.method = checkEnum(this.name, 'method', args.method, ['max', 'ave'] as const);
    this.kernel = checkPair(this.name, 'kernel', args.kernel, 1);
    this.stride = checkPair(this.name, 'stride', args.stride ?? 1, 1);
    this.pad = checkPair(this.name, 'pad', args.pad ?? 0, 0);
    this.round = checkEnum(this.name, 'round', args.round ?? 'ceil', ['ceil', 'floor'] as const);
    if (this.pad[0] >= this.kernel[0] || this.pad[1] >= this.kernel[1]) {
      throw new Error(
        `${this.name}: pad must be smaller than the kernel (Caffe's rule), got pad [${this.pad}] kernel [${this.kernel}]`,
      );
    }
  }

  /** Output [h, w] for an input [h, w]. */
  outSize(h: number, w: number): Pair {
    return [
      poolOutSize(h, this.kernel[0], this.stride[0], this.pad[0], this.round),
      poolOutSize(w, this.kernel[1], this.stride[1], this.pad[1], this.round),
    ];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = oneShape(inputShape);
    return [
      s[0]!,
      mapSize(s[1], (h) => poolOutSize(h, this.kernel[0], this.stride[0], this.pad[0], this.round)),
      mapSize(s[2], (w) => poolOutSize(w, this.kernel[1], this.stride[1], this.pad[1], this.round)),
      s[3]!,
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [, h, w] = x.shape;
      const [oh, ow] = this.outSize(h, w);
      if (oh < 1 || ow < 1) throw new Error(`${this.name}: input ${h}×${w} is too small for this pooling`);
      const [kh, kw] = this.kernel;
      const [sh, sw] = this.stride;
      const [ph, pw] = this.pad;
      // Padding after the input so the last window fits; tfjs then yields exactly [oh, ow].
      const bottom = Math.max(0, (oh - 1) * sh + kh - h - ph);
      const right = Math.max(0, (ow - 1) * sw + kw - w - pw);
      if (this.method === 'max') return tf.maxPool(x, [kh, kw], [sh, sw], explicitPad(ph, bottom, pw, right));
      const padded = bottom || right || ph || pw ? tf.pad(x, explicitPad(ph, bottom, pw, right)) : x;
      const mean = tf.avgPool(padded, [kh, kw], [sh, sw], 'valid');
      const dh = caffeAveDivisors(h, kh, sh, ph, oh);
      const dw = caffeAveDivisors(w, kw, sw, pw, ow);
      // Every window of the zero-padded input has k·k cells; rescale to Caffe's divisor.
      if (dh.every((d) => d === kh) && dw.every((d) => d === kw)) return mean;
      const scale = new Float32Array(oh * ow);
      for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) scale[i * ow + j] = (kh * kw) / (dh[i]! * dw[j]!);
      return tf.mul(mean, tf.tensor4d(scale, [1, oh, ow, 1]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      method: this.method,
      kernel: [...this.kernel],
      stride: [...this.stride],
      pad: [...this.pad],
      round: this.round,
    };
  }
}
tf.serialization.registerClass(CaffePool);

/** GlobalPool: Caffe's global_pooling, the max or mean of each channel over the whole map, [N, 1, 1, C]. */
export class GlobalPool extends tf.layers.Layer {
  static className = 'FcnGlobalPool';
  readonly method: 'max' | 'ave';

  constructor(args: BaseLayerArgs & { method: 'max' | 'ave' }) {
    super(args);
    this.method = checkEnum(this.name, 'method', args.method, ['max', 'ave'] as const);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = oneShape(inputShape);
    return [s[0]!, 1, 1, s[3]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => (this.method === 'max' ? tf.max : tf.mean)(single(inputs), [1, 2], true));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), method: this.method };
  }
}
tf.serialization.registerClass(GlobalPool);

/** The runtime twin of `pool`. */
export const poolPlan: Plan<'pool'> = (node) => {
  const { global, ...p } = node.params;
  return bare(
    global ? new GlobalPool({ name: node.name, method: p.method }) : new CaffePool({ name: node.name, ...p }),
  );
};
