/** `relu`: Caffe's ReLU, leaky with a negative slope. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { get, ONE } from './params.js';

export interface ReluParams {
  slope: number;
}

export const relu: LayerDef<'relu', ReluParams> = {
  type: 'relu',
  doc: 'rectified linear unit',
  inputs: ONE,
  params: [{ name: 'slope', kind: { kind: 'number' }, default: 0, doc: 'slope for negative inputs (leaky ReLU)' }],
  build: (v) => ({ slope: get<number>(v, 'slope') }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p) => (p.slope ? `slope ${formatNumber(p.slope)}` : ''),
  style: 'pill',
  example: 'x: relu { slope: 0.1 }',
  differentiable: true,
};
