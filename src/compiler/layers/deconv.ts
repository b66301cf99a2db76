/** `deconv`: Caffe's Deconvolution (transposed convolution); upsamples by its stride. */
import { CONV_PARAMS, buildConv, convDetail, convWeights, type ConvParams } from './conv.js';
import { windows, type LayerDef } from './def.js';
import { times } from './detail.js';
import { ONE } from './params.js';

/** Deconvolution: the same parameters as a convolution. */
export type DeconvParams = ConvParams;

export const deconv: LayerDef<'deconv', DeconvParams> = {
  type: 'deconv',
  doc: 'deconvolution (transposed convolution); upsamples by its stride',
  inputs: ONE,
  params: CONV_PARAMS,
  build: buildConv,
  spatial: (p) => ({ kind: 'deconv', axes: windows(p.kernel, p.stride, p.pad, p.dilation) }),
  channels: (p) => p.out,
  paramCount: (p, c) => {
    const w = convWeights(p, c.inC);
    return w === null ? null : w + (p.biasTerm ? p.out : 0);
  },
  // Each weight is used once per input pixel.
  flops: (p, c) => times(convWeights(p, c.inC), c.inArea === null ? null : 2 * c.inArea),
  detail: convDetail,
  style: 'box',
  example: 'x: deconv { out: 4  kernel: [4, 3]  stride: [2, 3]  pad: [1, 0]  group: 2 }',
  differentiable: true,
};
