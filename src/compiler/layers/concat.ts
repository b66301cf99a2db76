/** `concat`: Caffe's Concat across channels. */
import { none, pointwise, type LayerDef } from './def.js';
import { MANY } from './params.js';

export type ConcatParams = Record<string, never>;

export const concat: LayerDef<'concat', ConcatParams> = {
  type: 'concat',
  doc: 'concatenation across channels',
  inputs: MANY,
  params: [],
  build: () => ({}),
  spatial: pointwise,
  channels: (_p, inputs) => (inputs.includes(null) ? null : inputs.reduce<number>((a, c) => a + c!, 0)),
  paramCount: none,
  flops: none,
  detail: (_p, d) => `${d.inputs.length} inputs`,
  style: 'box',
  fusion: true,
  example: 'a: conv { out: 2  kernel: 1 }\nx: concat { bottom: [data, a] }',
  differentiable: true,
};
