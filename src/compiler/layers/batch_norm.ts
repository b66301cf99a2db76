/**
 * `batch_norm`: Caffe's BatchNorm, without an affine part (that is a `scale`). It stores what
 * Caffe stores: the running sums of the mean and the variance, and their moving-average
 * factor, so 2C + 1 values; the statistics are the sums divided by the factor.
 */
import { pointwise, sameChannels, none, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { get, ONE } from './params.js';

export interface BatchNormParams {
  eps: number;
  /** Caffe's moving_average_fraction: the decay of the running sums per training step. */
  momentum: number;
  /** Caffe's use_global_stats: normalise with the stored statistics in training too (a frozen net). */
  global: boolean;
}

export const batch_norm: LayerDef<'batch_norm', BatchNormParams> = {
  type: 'batch_norm',
  doc: "batch normalisation in Caffe's form (no affine part: follow it with a scale)",
  inputs: ONE,
  params: [
    { name: 'eps', kind: { kind: 'number', above: 0 }, default: 1e-5, doc: 'added to the variance' },
    {
      name: 'momentum',
      kind: { kind: 'number', min: 0, max: 1 },
      default: 0.999,
      doc: "decay of the running statistics per step (Caffe's moving_average_fraction)",
    },
    {
      name: 'global',
      kind: { kind: 'bool' },
      default: false,
      doc: "normalise with the stored statistics in training too (Caffe's use_global_stats)",
    },
  ],
  build: (v) => ({
    eps: get<number>(v, 'eps'),
    momentum: get<number>(v, 'momentum'),
    global: get<boolean>(v, 'global'),
  }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: (_p, c) => (c.inC === null ? null : 2 * c.inC + 1),
  flops: none,
  detail: (p) => (p.global ? 'global stats' : `momentum ${formatNumber(p.momentum)}`),
  style: 'pill',
  example: 'x: batch_norm { eps: 0.001  momentum: 0.9 }',
  differentiable: true,
};
