/** `lrn`: Caffe's LRN across channels: `x / (k + alpha/size · Σ x²)^beta` over `size` channels. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { get, ONE } from './params.js';

export interface LrnParams {
  size: number;
  alpha: number;
  beta: number;
  k: number;
}

export const lrn: LayerDef<'lrn', LrnParams> = {
  type: 'lrn',
  doc: "local response normalisation across channels, Caffe's convention",
  inputs: ONE,
  params: [
    { name: 'size', kind: { kind: 'int', min: 1, odd: true }, default: 5, doc: 'channels in the window (odd)' },
    { name: 'alpha', kind: { kind: 'number', min: 0 }, default: 1e-4, doc: 'scale (Caffe divides it by size)' },
    { name: 'beta', kind: { kind: 'number', min: 0 }, default: 0.75, doc: 'exponent' },
    { name: 'k', kind: { kind: 'number', above: 0 }, default: 1, doc: 'additive constant' },
  ],
  build: (v) => ({
    size: get<number>(v, 'size'),
    alpha: get<number>(v, 'alpha'),
    beta: get<number>(v, 'beta'),
    k: get<number>(v, 'k'),
  }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p) => `size ${p.size}`,
  style: 'pill',
  example: 'x: lrn { size: 3  alpha: 0.5  beta: 0.75  k: 2 }',
  differentiable: true,
};
