/** `softmax_loss`: Caffe's SoftmaxWithLoss; the training code computes it, not the model. */
import { none, type LayerDef } from './def.js';
import { get, TWO } from './params.js';

export interface SoftmaxLossParams {
  /** Label value whose pixels contribute nothing (255 in VOC). */
  ignore?: number;
  /** Divide by the number of counted pixels (true) or sum (false, as the FCN reference does). */
  normalize: boolean;
  /** Loss weight. */
  weight: number;
}

export const softmax_loss: LayerDef<'softmax_loss', SoftmaxLossParams> = {
  type: 'softmax_loss',
  doc: 'softmax cross-entropy loss; bottom: [scores, labels]',
  inputs: TWO,
  params: [
    { name: 'ignore', kind: { kind: 'int', min: 0 }, doc: 'label value that counts for nothing (255 in VOC)' },
    { name: 'normalize', kind: { kind: 'bool' }, default: true, doc: 'divide by the number of counted pixels' },
    { name: 'weight', kind: { kind: 'number', min: 0 }, default: 1, doc: 'loss weight' },
  ],
  build: (v) => ({
    ...(v.has('ignore') ? { ignore: get<number>(v, 'ignore') } : {}),
    normalize: get<boolean>(v, 'normalize'),
    weight: get<number>(v, 'weight'),
  }),
  spatial: () => ({ kind: 'loss' }),
  channels: () => null,
  paramCount: none,
  flops: none,
  detail: (p) => (p.ignore === undefined ? '' : `ignore ${p.ignore}`),
  style: 'box',
  head: true,
  example: 'x: softmax_loss { bottom: [data, label]  ignore: 3 }',
  differentiable: true,
};
