/** `scale`: multiplies each channel by a factor (Caffe's Scale without bias); the at-once net's 0.01. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { factorParams, factorSpec, get, ONE } from './params.js';
import type { ParamSpec } from './types-base.js';

/** Multiplies by a learnable or fixed scalar per channel (the at-once net's 0.01 and 0.0001). */
export interface ScaleParams {
  value: number;
  weight: ParamSpec;
  /** Caffe's bias_term: a learned shift per channel after the factor (ResNet's BatchNorm affine part). */
  biasTerm: boolean;
}

export const scale: LayerDef<'scale', ScaleParams> = {
  type: 'scale',
  doc: 'multiplies by a per-channel factor, fixed unless given a learning rate',
  inputs: ONE,
  params: [
    ...factorParams(1, 0, 0, 'factor'),
    {
      name: 'bias',
      kind: { kind: 'bool' },
      default: false,
      doc: "add a learned shift per channel (Caffe's bias_term)",
    },
  ],
  build: (v) => ({ value: get<number>(v, 'value'), weight: factorSpec(v), biasTerm: get<boolean>(v, 'bias') }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: (p, c) => (c.inC === null ? null : c.inC * (p.biasTerm ? 2 : 1)),
  flops: none,
  detail: (p) => `× ${formatNumber(p.value)}${p.biasTerm ? ' + bias' : ''}`,
  style: 'pill',
  example: 'x: scale { value: 0.5  lr: 1  bias: true }',
  differentiable: true,
};
