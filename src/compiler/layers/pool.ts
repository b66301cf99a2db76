/** `pool`: Caffe's Pooling, max or average, with Caffe's ceil rounding by default. */
import { none, sameChannels, windows, type LayerDef } from './def.js';
import { windowText } from './detail.js';
import { get, ONE, pairParam } from './params.js';
import type { Pair } from './types-base.js';

export interface PoolParams {
  method: 'max' | 'ave';
  kernel: Pair;
  stride: Pair;
  pad: Pair;
  /** Caffe rounds the output size up (`ceil`, the default); TensorFlow rounds down (`floor`). */
  round: 'ceil' | 'floor';
}

export const pool: LayerDef<'pool', PoolParams> = {
  type: 'pool',
  doc: 'max or average pooling',
  inputs: ONE,
  params: [
    { name: 'method', kind: { kind: 'enum', values: ['max', 'ave'] }, default: 'max', doc: 'max or ave' },
    pairParam('kernel', 1, 'window size, or [h, w]'),
    pairParam('stride', 1, 'stride, or [h, w]', 1),
    pairParam('pad', 0, 'padding, or [h, w]', 0),
    {
      name: 'round',
      kind: { kind: 'enum', values: ['ceil', 'floor'] },
      default: 'ceil',
      doc: "output size rounding: Caffe's ceil or TensorFlow's floor",
    },
  ],
  build: (v) => ({
    method: get<'max' | 'ave'>(v, 'method'),
    kernel: get<Pair>(v, 'kernel'),
    stride: get<Pair>(v, 'stride'),
    pad: get<Pair>(v, 'pad'),
    round: get<'ceil' | 'floor'>(v, 'round'),
  }),
  spatial: (p) => ({ kind: 'window', axes: windows(p.kernel, p.stride, p.pad), round: p.round }),
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p) => `${p.method} ${windowText(p.kernel, p.stride, p.pad)}${p.round === 'floor' ? ' floor' : ''}`,
  style: 'box',
  example: 'x: pool { method: ave  kernel: [3, 2]  stride: [2, 1]  pad: [1, 0] }',
  differentiable: true,
};
