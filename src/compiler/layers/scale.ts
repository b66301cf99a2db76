/** `scale`: multiplies each channel by a factor (Caffe's Scale without bias); the at-once net's 0.01. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { get, ONE } from './params.js';
import type { ParamSpec } from './types-base.js';

/** Multiplies by a learnable or fixed scalar per channel (the at-once net's 0.01 and 0.0001). */
export interface ScaleParams {
  value: number;
  weight: ParamSpec;
}

export const scale: LayerDef<'scale', ScaleParams> = {
  type: 'scale',
  doc: 'multiplies by a per-channel factor, fixed unless given a learning rate',
  inputs: ONE,
  params: [
    { name: 'value', kind: { kind: 'number' }, default: 1, doc: 'initial factor' },
    { name: 'lr', kind: { kind: 'number', min: 0 }, default: 0, doc: 'learning-rate multiplier (0: fixed)' },
    { name: 'decay', kind: { kind: 'number', min: 0 }, default: 0, doc: 'weight-decay multiplier' },
  ],
  build: (v) => ({
    value: get<number>(v, 'value'),
    weight: {
      lr: get<number>(v, 'lr'),
      decay: get<number>(v, 'decay'),
      init: { kind: 'constant', value: get<number>(v, 'value') },
    },
  }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: (_p, c) => c.inC,
  flops: none,
  detail: (p) => `× ${formatNumber(p.value)}`,
  style: 'pill',
  example: 'x: scale { value: 0.5  lr: 1 }',
  differentiable: true,
};
