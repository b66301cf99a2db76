/** `sum`: Caffe's Eltwise SUM, with a coefficient per input. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { get, MANY } from './params.js';

export interface SumParams {
  /** Per-input coefficients (Caffe's Eltwise coeff); all 1 when absent. */
  coeff?: number[];
}

export const sum: LayerDef<'sum', SumParams> = {
  type: 'sum',
  doc: 'element-wise sum',
  inputs: MANY,
  params: [{ name: 'coeff', kind: { kind: 'numbers' }, doc: 'a coefficient per input (default all 1)' }],
  build: (v) => (v.has('coeff') ? { coeff: get<number[]>(v, 'coeff') } : {}),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p, d) => (p.coeff ? `coeff ${p.coeff.map(formatNumber).join(', ')}` : `${d.inputs.length} inputs`),
  style: 'box',
  fusion: true,
  example: 'a: conv { out: 4  kernel: 1 }\nx: sum { bottom: [data, a]  coeff: [1, -0.5] }',
  differentiable: true,
};
