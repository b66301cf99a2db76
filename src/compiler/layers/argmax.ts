/** `argmax`: Caffe's ArgMax over channels, the predicted class map. */
import { none, pointwise, type LayerDef } from './def.js';
import { ONE } from './params.js';

export type ArgmaxParams = Record<string, never>;

export const argmax: LayerDef<'argmax', ArgmaxParams> = {
  type: 'argmax',
  doc: 'index of the largest channel (the predicted class)',
  inputs: ONE,
  params: [],
  build: () => ({}),
  spatial: pointwise,
  channels: () => 1,
  paramCount: none,
  flops: none,
  detail: () => '',
  style: 'pill',
  head: true,
  example: 'x: argmax',
  differentiable: false,
};
