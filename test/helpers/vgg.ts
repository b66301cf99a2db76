/**
 * VGG16 and the reference FCN-32s/16s/8s nets built directly as IR (no parser), with the
 * layer names of the reference Caffe nets (`vgg.` prefix as an instance named `vgg` gives).
 */
import type { IRGraph } from '../../src/compiler/ir/types.js';
import { IRBuilder } from './ir.js';

/** The VGG16 stages: [stage, convolutions, channels]. */
const STAGES: Array<[number, number, number]> = [
  [1, 2, 64],
  [2, 2, 128],
  [3, 3, 256],
  [4, 3, 512],
  [5, 3, 512],
];

/** Adds the VGG16 trunk (fc6/fc7 as convolutions) reading `bottom`; returns the last blob's name. */
export function addVgg16(b: IRBuilder, bottom: string, { pad1 = 1, prefix = '' } = {}): string {
  let last = bottom;
  for (const [i, n, out] of STAGES) {
    for (let j = 1; j <= n; j++) {
      const pad = i === 1 && j === 1 ? pad1 : 1;
      last = b.layer(`${prefix}conv${i}_${j}`, 'conv', [last], { out, kernel: 3, pad });
      last = b.layer(`${prefix}relu${i}_${j}`, 'relu', [last]);
    }
    last = b.layer(`${prefix}pool${i}`, 'pool', [last], { kernel: 2, stride: 2 });
  }
  last = b.layer(`${prefix}fc6`, 'conv', [last], { out: 4096, kernel: 7 });
  last = b.layer(`${prefix}relu6`, 'relu', [last]);
  last = b.layer(`${prefix}drop6`, 'dropout', [last]);
  last = b.layer(`${prefix}fc7`, 'conv', [last], { out: 4096, kernel: 1 });
  last = b.layer(`${prefix}relu7`, 'relu', [last]);
  return b.layer(`${prefix}drop7`, 'dropout', [last]);
}

/** Plain VGG16 (conv1_1 pad 1), input `data`, names without a prefix. */
export function vgg16(): IRGraph {
  const b = new IRBuilder('vgg16');
  addVgg16(b, b.input('data'));
  return b.build();
}

const bilinear = (kernel: number, stride: number) => ({ out: 21, kernel, stride, biasTerm: false });

/** The reference VOC FCN (pad 100, 21 classes) of the given variant, with its label and loss. */
export function vocFcn(variant: '32s' | '16s' | '8s'): IRGraph {
  const b = new IRBuilder(`voc_fcn${variant}`);
  const data = b.input('data');
  const label = b.input('label', 1, { kind: 'label' });
  const trunk = addVgg16(b, data, { pad1: 100, prefix: 'vgg.' });
  let last = b.layer('score_fr', 'conv', [trunk], { out: 21, kernel: 1 });
  // Each skip: upsample x2, score the pool, crop it to the upsampled map, sum.
  const skips = { '32s': [], '16s': ['pool4'], '8s': ['pool4', 'pool3'] }[variant];
  let upName = 'upscore2';
  for (const pool of skips) {
    const up = b.layer(upName, 'deconv', [last], bilinear(4, 2));
    b.layer(`score_${pool}`, 'conv', [`vgg.${pool}`], { out: 21, kernel: 1 });
    b.layer(`score_${pool}c`, 'crop', [`score_${pool}`, up]);
    last = b.layer(`fuse_${pool}`, 'sum', [up, `score_${pool}c`]);
    upName = `upscore_${pool}`;
  }
  const stride = 32 >> skips.length;
  last = b.layer(skips.length ? `upscore${stride}` : 'upscore', 'deconv', [last], bilinear(2 * stride, stride));
  const score = b.layer('score', 'crop', [last, data]);
  b.layer('loss', 'softmax_loss', [score, label], { ignore: 255, normalize: false });
  return b.build();
}
