/**
 * CaffeDeconv: Caffe's Deconvolution layer, the transpose of a convolution with the same
 * kernel, stride, pad, dilation and group. Output size s·(H − 1) + k_eff − 2p.
 *
 * Orientation: Caffe stores the weights as (in, out/group, kh, kw) and scatters
 * y[o, s·i + a − p] += W[c, o, a]·x[c, i] with no kernel flip. tfjs's conv2dTranspose filter is
 * [kh, kw, out, in] and computes the same sum, so the kernel here is Caffe's transposed by
 * [2, 3, 1, 0]: [kh, kw, out/group, in].
 */
import * as tf from '@tensorflow/tfjs';
import { deconvOutSize, explicitPad, single } from './args.js';
import { ConvGeometry } from './conv.js';
import { dilateKernel } from './dilate.js';
import { convArgs } from './conv.js';
import { kernelAndBias, type Plan } from './plan.js';

export class CaffeDeconv extends ConvGeometry {
  static className = 'FcnCaffeDeconv';

  protected kernelShape(c: number): number[] {
    return [this.kernel[0], this.kernel[1], this.filters / this.group, c];
  }

  protected axisSize(size: number, axis: 0 | 1): number {
    return deconvOutSize(size, this.kernel[axis], this.stride[axis], this.pad[axis], this.dilation[axis]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [n, h, w] = x.shape;
      const [oh, ow] = this.outSize(h, w);
      if (oh < 1 || ow < 1) throw new Error(`${this.name}: the padding leaves no output for a ${h}×${w} input`);
      const pad = explicitPad(this.pad[0], this.pad[0], this.pad[1], this.pad[1]);
      // tfjs's transposed conv has no dilation: use the zero-inserted kernel.
      const kernel = dilateKernel(this.weights[0]!.read() as tf.Tensor4D, this.dilation);
      const cg = this.filters / this.group;
      const y = this.grouped(x, kernel, 3, (xi, ki) => tf.conv2dTranspose(xi, ki, [n, oh, ow, cg], this.stride, pad));
      return this.addBias(y);
    });
  }
}
tf.serialization.registerClass(CaffeDeconv);

/** The runtime twin of `deconv`. */
export const deconvPlan: Plan<'deconv'> = (node) => {
  const p = node.params;
  return {
    layer: new CaffeDeconv({ name: node.name, ...convArgs(p) }),
    weights: kernelAndBias(p, { kind: 'deconv', group: p.group }),
  };
};
