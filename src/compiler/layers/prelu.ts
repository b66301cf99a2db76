/** `prelu`: Caffe's PReLU, a learned negative slope per channel (or one shared by all). */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { factorParams, factorSpec, get, ONE } from './params.js';
import type { ParamSpec } from './types-base.js';

export interface PreluParams {
  /** One slope for every channel (Caffe's channel_shared). */
  shared: boolean;
  /** The slopes' learning settings; Caffe initialises them to 0.25. */
  weight: ParamSpec;
}

export const prelu: LayerDef<'prelu', PreluParams> = {
  type: 'prelu',
  doc: 'parametric ReLU: a learned slope for negative inputs, per channel',
  inputs: ONE,
  params: [
    {
      name: 'shared',
      kind: { kind: 'bool' },
      default: false,
      doc: "one slope for all channels (Caffe's channel_shared)",
    },
    ...factorParams(0.25, 1, 0, 'slope'),
  ],
  build: (v) => ({ shared: get<boolean>(v, 'shared'), weight: factorSpec(v) }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: (p, c) => (p.shared ? 1 : c.inC),
  flops: none,
  detail: (p) =>
    `${p.shared ? 'shared, ' : ''}${p.weight.init.kind === 'constant' ? formatNumber(p.weight.init.value) : ''}`,
  style: 'pill',
  example: 'x: prelu { value: 0.3 }',
  differentiable: true,
};
