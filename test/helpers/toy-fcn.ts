/**
 * A small FCN built with IRBuilder: the 100-pixel pad, ceil pooling (max and average with
 * padding), a grouped conv, LRN, dropout, a skip with an inline-style crop, two bilinear
 * deconvolutions (frozen), the final crop to the data, and a softmax loss. Few channels, so
 * it runs and trains in milliseconds on wasm.
 */
import type { IRGraph } from '../../src/compiler/ir/types.js';
import { IRBuilder } from './ir.js';

/** Builds the toy FCN with `classes` outputs. */
export function toyFcn(classes = 3): IRGraph {
  const b = new IRBuilder('toy_fcn');
  b.input('data', 3, { mean: [10, 20, 30], order: 'bgr' });
  b.input('label', 1, { kind: 'label' });
  b.layer('conv1', 'conv', ['data'], { out: 8, kernel: 3, pad: 100 });
  b.layer('relu1', 'relu', ['conv1']);
  b.layer('pool1', 'pool', ['relu1'], { kernel: 2, stride: 2 });
  b.layer('conv2', 'conv', ['pool1'], { out: 8, kernel: 3, pad: 1, group: 2 });
  b.layer('relu2', 'relu', ['conv2'], { slope: 0.1 });
  b.layer('norm2', 'lrn', ['relu2'], { size: 3, alpha: 1e-2, beta: 0.75, k: 1 });
  b.layer('pool2', 'pool', ['norm2'], { method: 'ave', kernel: 2, stride: 2, pad: 1 });
  b.layer('fc3', 'conv', ['pool2'], { out: 16, kernel: 5 });
  b.layer('drop3', 'dropout', ['fc3'], { ratio: 0.5 });
  b.layer('score_fr', 'conv', ['drop3'], { out: classes, kernel: 1 });
  const bilinear = { lr: 0, decay: 1, init: { kind: 'bilinear' as const } };
  b.layer('upscore2', 'deconv', ['score_fr'], {
    out: classes,
    kernel: 4,
    stride: 2,
    biasTerm: false,
    weight: bilinear,
  });
  b.layer('score_pool1', 'conv', ['pool1'], { out: classes, kernel: 1 });
  b.layer('score_pool1c', 'crop', ['score_pool1', 'upscore2']);
  b.layer('fuse', 'sum', ['upscore2', 'score_pool1c']);
  b.layer('upscore', 'deconv', ['fuse'], { out: classes, kernel: 4, stride: 2, biasTerm: false, weight: bilinear });
  b.layer('score', 'crop', ['upscore', 'data']);
  b.layer('loss', 'softmax_loss', ['score', 'label'], { ignore: 255, normalize: false });
  return b.build();
}
