/** `softmax`: Caffe's Softmax across channels. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { ONE } from './params.js';

export type SoftmaxParams = Record<string, never>;

export const softmax: LayerDef<'softmax', SoftmaxParams> = {
  type: 'softmax',
  doc: 'softmax across channels',
  inputs: ONE,
  params: [],
  build: () => ({}),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: () => '',
  style: 'pill',
  head: true,
  example: 'x: softmax',
  differentiable: true,
};
