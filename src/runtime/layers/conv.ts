/**
 * CaffeConv: Caffe's Convolution layer. Explicit [h, w] pads (the 100-pixel pad of the FCN
 * nets included), strides, dilation, and groups (AlexNet's conv2/4/5 use 2): the channels
 * split into independent groups, each with its own slice of the filters.
 *
 * Weights are tfjs-layout: kernel [kh, kw, in/group, out] (Caffe's (out, in/group, kh, kw)
 * transposed by [2, 3, 1, 0]), bias [out]. Output group g reads input group g, as in Caffe.
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkInt,
  checkPair,
  convOutSize,
  explicitPad,
  mapSize,
  oneShape,
  single,
  type BaseLayerArgs,
  type Pair,
  type Shape,
} from './args.js';
import { dilateKernel } from './dilate.js';
import type { ConvParams } from '../../compiler/layers/types.js';
import { kernelAndBias, type Plan } from './plan.js';

export interface CaffeConvArgs extends BaseLayerArgs {
  filters: number;
  kernel: Pair | number;
  stride?: Pair | number;
  pad?: Pair | number;
  dilation?: Pair | number;
  group?: number;
  useBias?: boolean;
}

/** Shared geometry of CaffeConv and CaffeDeconv. */
export abstract class ConvGeometry extends tf.layers.Layer {
  readonly filters: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Pair;
  readonly dilation: Pair;
  readonly group: number;
  readonly useBias: boolean;

  constructor(args: CaffeConvArgs) {
    super(args);
    this.filters = checkInt(this.name, 'filters', args.filters, 1);
    this.kernel = checkPair(this.name, 'kernel', args.kernel, 1);
    this.stride = checkPair(this.name, 'stride', args.stride ?? 1, 1);
    this.pad = checkPair(this.name, 'pad', args.pad ?? 0, 0);
    this.dilation = checkPair(this.name, 'dilation', args.dilation ?? 1, 1);
    this.group = checkInt(this.name, 'group', args.group ?? 1, 1);
    this.useBias = args.useBias ?? true;
    if (this.filters % this.group !== 0)
      throw new Error(`${this.name}: out (${this.filters}) must be divisible by group (${this.group})`);
  }

  /** The kernel's tfjs shape for `c` input channels. */
  protected abstract kernelShape(c: number): number[];

  /** Caffe's output size along one axis (conv or deconv rule). */
  protected abstract axisSize(size: number, axis: 0 | 1): number;

  /** Output [h, w] for an input [h, w]. */
  outSize(h: number, w: number): Pair {
    return [this.axisSize(h, 0), this.axisSize(w, 1)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = this.inChannels(inputShape);
    this.addWeight('kernel', this.kernelShape(c), 'float32', tf.initializers.zeros());
    if (this.useBias) this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = oneShape(inputShape);
    return [s[0]!, mapSize(s[1], (h) => this.axisSize(h, 0)), mapSize(s[2], (w) => this.axisSize(w, 1)), this.filters];
  }

  /** Input channels, checked against the group count. */
  protected inChannels(inputShape: Shape | Shape[]): number {
    const c = oneShape(inputShape)[3];
    if (typeof c !== 'number') throw new Error(`${this.name}: the channel count of the input must be known`);
    if (c % this.group !== 0)
      throw new Error(`${this.name}: input channels (${c}) must be divisible by group (${this.group})`);
    return c;
  }

  /** Runs `f` on each group's slice of x and kernel (kernel split on `kernelAxis`), concatenating along channels. */
  protected grouped(
    x: tf.Tensor4D,
    kernel: tf.Tensor4D,
    kernelAxis: number,
    f: (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor4D,
  ): tf.Tensor4D {
    if (this.group === 1) return f(x, kernel);
    const xs = tf.split(x, this.group, 3);
    const ks = tf.split(kernel, this.group, kernelAxis);
    return tf.concat(
      xs.map((xi, g) => f(xi as tf.Tensor4D, ks[g] as tf.Tensor4D)),
      3,
    );
  }

  protected addBias(y: tf.Tensor4D): tf.Tensor4D {
    return this.useBias ? tf.add(y, this.weights[1]!.read()) : y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel: [...this.kernel],
      stride: [...this.stride],
      pad: [...this.pad],
      dilation: [...this.dilation],
      group: this.group,
      useBias: this.useBias,
    };
  }
}

export class CaffeConv extends ConvGeometry {
  static className = 'FcnCaffeConv';

  protected kernelShape(c: number): number[] {
    return [this.kernel[0], this.kernel[1], c / this.group, this.filters];
  }

  protected axisSize(size: number, axis: 0 | 1): number {
    return convOutSize(size, this.kernel[axis], this.stride[axis], this.pad[axis], this.dilation[axis]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [, h, w] = x.shape;
      const [oh, ow] = this.outSize(h, w);
      if (oh < 1 || ow < 1) throw new Error(`${this.name}: input ${h}×${w} is too small for this convolution`);
      const pad = explicitPad(this.pad[0], this.pad[0], this.pad[1], this.pad[1]);
      const dilated = this.dilation[0] > 1 || this.dilation[1] > 1;
      // tfjs's dilated conv has no gradient and no stride: train through a zero-inserted kernel instead.
      const native = !dilated || (kwargs['training'] !== true && this.stride[0] === 1 && this.stride[1] === 1);
      const kernel = this.weights[0]!.read() as tf.Tensor4D;
      const k = native ? kernel : dilateKernel(kernel, this.dilation);
      const d: Pair = native ? this.dilation : [1, 1];
      // The native backend adds the bias inside the convolution (a oneDNN post-op): one pass less.
      if (this.group === 1 && this.useBias && tf.getBackend() === 'native') {
        const bias = this.weights[1]!.read() as tf.Tensor1D;
        return tf.fused.conv2d({ x, filter: k, strides: this.stride, pad, dilations: d, bias });
      }
      const y = this.grouped(x, k, 3, (xi, ki) => tf.conv2d(xi, ki, this.stride, pad, 'NHWC', d));
      return this.addBias(y);
    });
  }
}
tf.serialization.registerClass(CaffeConv);

/** The runtime twin of `conv`. */
export const convPlan: Plan<'conv'> = (node) => {
  const p = node.params;
  return {
    layer: new CaffeConv({ name: node.name, ...convArgs(p) }),
    weights: kernelAndBias(p, { kind: 'conv', group: p.group }),
  };
};

/** The layer arguments of a conv or deconv node. */
export function convArgs(p: ConvParams): CaffeConvArgs {
  return {
    filters: p.out,
    kernel: p.kernel,
    stride: p.stride,
    pad: p.pad,
    dilation: p.dilation,
    group: p.group,
    useBias: p.biasTerm,
  };
}
