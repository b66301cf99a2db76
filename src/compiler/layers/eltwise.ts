/** `eltwise`: Caffe's Eltwise with its three operations, PROD, MAX and SUM (with coefficients). */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { get, MANY } from './params.js';

export interface EltwiseParams {
  operation: 'prod' | 'max' | 'sum';
  /** Per-input coefficients of a sum; all 1 when absent. */
  coeff?: number[];
}

export const eltwise: LayerDef<'eltwise', EltwiseParams> = {
  type: 'eltwise',
  doc: 'element-wise product, maximum or sum of its inputs',
  inputs: MANY,
  params: [
    {
      name: 'operation',
      kind: { kind: 'enum', values: ['prod', 'max', 'sum'] },
      default: 'sum',
      doc: "prod, max or sum (Caffe's EltwiseOp)",
    },
    { name: 'coeff', kind: { kind: 'numbers' }, doc: 'a coefficient per input, for sum only (default all 1)' },
  ],
  build: (v) => ({
    operation: get<'prod' | 'max' | 'sum'>(v, 'operation'),
    ...(v.has('coeff') ? { coeff: get<number[]>(v, 'coeff') } : {}),
  }),
  check: (v) =>
    v.has('coeff') && v.get('operation') !== 'sum'
      ? { code: 'conflicting-parameters', message: "'coeff' applies only to operation: sum (Caffe's rule)" }
      : undefined,
  spatial: pointwise,
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p) => (p.coeff ? `sum, coeff ${p.coeff.map(formatNumber).join(', ')}` : p.operation),
  style: 'box',
  fusion: true,
  example:
    'a: conv { out: 4  kernel: 1 }\nb: conv { out: 4  kernel: 1 }\nx: eltwise { bottom: [data, a, b]  operation: prod }',
  differentiable: true,
};
