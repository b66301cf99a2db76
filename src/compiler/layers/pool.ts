/** `pool`: Caffe's Pooling, max or average, with Caffe's ceil rounding by default. */
import { none, sameChannels, windows, type LayerDef } from './def.js';
import { windowText } from './detail.js';
import { get, ONE, pair, pairParam } from './params.js';
import type { Pair } from './types-base.js';

export interface PoolParams {
  method: 'max' | 'ave';
  kernel: Pair;
  stride: Pair;
  pad: Pair;
  /** Caffe rounds the output size up (`ceil`, the default); TensorFlow rounds down (`floor`). */
  round: 'ceil' | 'floor';
  /** Caffe's global_pooling: one value per channel over the whole map (kernel, stride and pad unused). */
  global: boolean;
}

export const pool: LayerDef<'pool', PoolParams> = {
  type: 'pool',
  doc: 'max or average pooling',
  inputs: ONE,
  params: [
    { name: 'method', kind: { kind: 'enum', values: ['max', 'ave'] }, default: 'max', doc: 'max or ave' },
    { name: 'kernel', kind: pair(1), doc: 'window size, or [h, w] (required unless global)' },
    pairParam('stride', 1, 'stride, or [h, w]', 1),
    pairParam('pad', 0, 'padding, or [h, w]', 0),
    {
      name: 'round',
      kind: { kind: 'enum', values: ['ceil', 'floor'] },
      default: 'ceil',
      doc: "output size rounding: Caffe's ceil or TensorFlow's floor",
    },
    {
      name: 'global',
      kind: { kind: 'bool' },
      default: false,
      doc: "pool the whole map to 1×1 (Caffe's global_pooling)",
    },
  ],
  build: (v) => ({
    method: get<'max' | 'ave'>(v, 'method'),
    kernel: v.has('kernel') ? get<Pair>(v, 'kernel') : [1, 1],
    stride: get<Pair>(v, 'stride'),
    pad: get<Pair>(v, 'pad'),
    round: get<'ceil' | 'floor'>(v, 'round'),
    global: get<boolean>(v, 'global'),
  }),
  check: (v) =>
    v.get('global') === v.has('kernel')
      ? v.has('kernel')
        ? { code: 'conflicting-parameters', message: "a global pool takes no 'kernel'" }
        : { code: 'missing-parameter', message: "missing parameter 'kernel'" }
      : undefined,
  spatial: (p) =>
    p.global ? { kind: 'collapse' } : { kind: 'window', axes: windows(p.kernel, p.stride, p.pad), round: p.round },
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p) =>
    p.global
      ? `${p.method} global`
      : `${p.method} ${windowText(p.kernel, p.stride, p.pad)}${p.round === 'floor' ? ' floor' : ''}`,
  style: 'box',
  example: 'x: pool { method: ave  kernel: [3, 2]  stride: [2, 1]  pad: [1, 0] }',
  differentiable: true,
};
