/** `crop`: Caffe's Crop on H and W, to the size of `like` at the offset the compiler infers. */
import { none, sameChannels, type LayerDef } from './def.js';
import { get, pair, TWO } from './params.js';
import type { Pair } from './types-base.js';

/** Crop bottom[0] to the spatial size of bottom[1] (the reference), at an offset. */
export interface CropParams {
  /** The offset written in the file, if any; the compiler infers it and checks this against it. */
  offset?: Pair;
}

export const crop: LayerDef<'crop', CropParams> = {
  type: 'crop',
  doc: 'crops its input to the spatial size of `like`, at an offset the compiler infers',
  inputs: TWO,
  params: [
    { name: 'like', kind: { kind: 'blob' }, doc: 'the blob whose size to crop to' },
    { name: 'offset', kind: pair(0), doc: 'explicit offset, checked against the inferred one' },
  ],
  build: (v) => (v.has('offset') ? { offset: get<Pair>(v, 'offset') } : {}),
  spatial: () => ({ kind: 'crop' }),
  channels: sameChannels,
  paramCount: none,
  flops: none,
  detail: (_p, d) => `to ${d.inputs[1] ?? '?'}`,
  style: 'box',
  example: [
    'r: conv { out: 1  kernel: [3, 5] }',
    'p: pool { kernel: 2  stride: 2 }',
    'up: deconv { out: 1  kernel: 4  stride: 2 }',
    'x: crop { bottom: data  like: up }',
  ].join('\n'),
  differentiable: true,
};
