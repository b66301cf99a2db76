/** `dropout`: Caffe's Dropout, the identity at inference. */
import { none, pointwise, sameChannels, type LayerDef } from './def.js';
import { formatNumber } from './detail.js';
import { get, ONE } from './params.js';

export interface DropoutParams {
  ratio: number;
}

export const dropout: LayerDef<'dropout', DropoutParams> = {
  type: 'dropout',
  doc: 'dropout (identity at inference)',
  inputs: ONE,
  params: [
    { name: 'ratio', kind: { kind: 'number', min: 0, below: 1 }, default: 0.5, doc: 'fraction of units dropped' },
  ],
  build: (v) => ({ ratio: get<number>(v, 'ratio') }),
  spatial: pointwise,
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (p) => `ratio ${formatNumber(p.ratio)}`,
  style: 'pill',
  example: 'x: dropout { ratio: 0.3 }',
  // Random in training: the conformance test checks its gradient at inference.
  differentiable: true,
};
