/**
 * Shapes under Caffe's rounding rules, at several input sizes (odd and non-square ones
 * included), the smallest input that survives, and the size diagnostics.
 */
import test from 'ava';
import { inferCrops, inferShapes, survives } from '../src/compiler/analysis/index.js';
import type { IRGraph } from '../src/compiler/ir/types.js';
import type { Pair } from '../src/compiler/layers/types.js';
import { IRBuilder } from './helpers/ir.js';
import { attachListing, pin } from './helpers/listing.js';
import { vgg16, vocFcn } from './helpers/vgg.js';

function shapesOf(ir: IRGraph, input?: Pair) {
  const s = inferShapes(ir, inferCrops(ir).offsets, input);
  return { ...s, of: (name: string) => s.shapes[ir.byName.get(name)!] };
}

/** A one-layer net: data (3 channels) → the layer. */
function one(op: Parameters<IRBuilder['layer']>[1], params: Record<string, unknown>, input: Pair) {
  const b = new IRBuilder();
  b.input('data');
  b.layer('x', op, ['data'], params as never);
  return shapesOf(b.build(), input).of('x');
}

test('conv rounds down: floor((H + 2p − k)/s) + 1', (t) => {
  t.deepEqual(one('conv', { out: 8, kernel: 3, stride: 2 }, [7, 8]), [8, 3, 3]);
  t.deepEqual(one('conv', { out: 8, kernel: 3, stride: 2 }, [9, 10]), [8, 4, 4]);
  t.deepEqual(one('conv', { out: 8, kernel: 3, stride: 2, pad: 1 }, [9, 10]), [8, 5, 5]);
  t.deepEqual(one('conv', { out: 8, kernel: [3, 5], stride: [1, 3], pad: [0, 2] }, [11, 11]), [8, 9, 4]);
});

test('dilation widens the kernel to d·(k−1)+1', (t) => {
  t.deepEqual(one('conv', { out: 8, kernel: 3, dilation: 2 }, [10, 7]), [8, 6, 3]);
});

test('pool rounds up by default: ceil((H + 2p − k)/s) + 1', (t) => {
  t.deepEqual(one('pool', { kernel: 3, stride: 2 }, [6, 7]), [3, 3, 3]);
  t.deepEqual(one('pool', { kernel: 2, stride: 2 }, [7, 224]), [3, 4, 112]);
});

test('pool with round floor rounds down, as TensorFlow does', (t) => {
  t.deepEqual(one('pool', { kernel: 3, stride: 2, round: 'floor' }, [6, 7]), [3, 2, 3]);
  t.deepEqual(one('pool', { kernel: 2, stride: 2, round: 'floor' }, [7, 224]), [3, 3, 112]);
});

test('ceil pooling drops the last window when it would start inside the padding', (t) => {
  // H = 3, k 2, s 2, p 1: ceil(3/2) + 1 = 3 windows, but the third starts at 4 ≥ H + p = 4.
  t.deepEqual(one('pool', { kernel: 2, stride: 2, pad: 1 }, [3, 4]), [3, 2, 3]);
  t.deepEqual(one('pool', { kernel: 2, stride: 2, pad: 1 }, [1, 5]), [3, 1, 3]);
});

test('deconv output is s·(H − 1) + k − 2p', (t) => {
  t.deepEqual(one('deconv', { out: 21, kernel: 4, stride: 2 }, [5, 6]), [21, 12, 14]);
  t.deepEqual(one('deconv', { out: 21, kernel: 4, stride: 2, pad: 1 }, [5, 6]), [21, 10, 12]);
  t.deepEqual(one('deconv', { out: 21, kernel: 64, stride: 32 }, [16, 1]), [21, 544, 64]);
});

test('fc gives [out, 1, 1]; argmax gives one channel; the loss is a scalar', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.input('label', 1, { kind: 'label' });
  b.layer('ip', 'fc', ['data'], { out: 10 });
  b.layer('pred', 'argmax', ['data']);
  b.layer('loss', 'softmax_loss', ['data', 'label']);
  const s = shapesOf(b.build(), [5, 7]);
  t.deepEqual(s.of('ip'), [10, 1, 1]);
  t.deepEqual(s.of('pred'), [1, 5, 7]);
  t.deepEqual(s.of('loss'), []);
});

test('crop takes the reference size; sum keeps, concat adds channels; scale passes through', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('a', 'conv', ['data'], { out: 4, kernel: 3, pad: 2 });
  b.layer('ac', 'crop', ['a', 'data']);
  b.layer('b', 'conv', ['data'], { out: 6, kernel: 1 });
  b.layer('cat', 'concat', ['ac', 'b']);
  b.layer('sum', 'sum', ['ac', 'ac']);
  b.layer('scaled', 'scale', ['cat'], { value: 0.01 });
  const s = shapesOf(b.build(), [9, 4]);
  t.deepEqual(s.of('a'), [4, 11, 6]);
  t.deepEqual(s.of('ac'), [4, 9, 4]);
  t.deepEqual(s.of('cat'), [10, 9, 4]);
  t.deepEqual(s.of('sum'), [4, 9, 4]);
  t.deepEqual(s.of('scaled'), [10, 9, 4]);
  t.deepEqual(s.diagnostics, []);
});

test('without an input size, channels are known and H, W are null', (t) => {
  const s = shapesOf(vocFcn('8s'));
  t.is(s.input, null);
  t.deepEqual(s.of('vgg.pool5'), [512, null, null]);
  t.deepEqual(s.of('score'), [21, null, null]);
  t.deepEqual(s.of('loss'), []);
  t.deepEqual(s.diagnostics, []);
});

test('a size declared on the input is used when none is given', (t) => {
  const b = new IRBuilder();
  b.input('data', 3, { size: [9, 10] });
  b.layer('x', 'pool', ['data'], { kernel: 3, stride: 2 });
  const s = shapesOf(b.build());
  t.deepEqual(s.input, [9, 10]);
  t.deepEqual(s.of('x'), [3, 4, 5]);
  t.deepEqual(shapesOf(b.build(), [5, 5]).of('x'), [3, 2, 2]);
});

test('VGG16 at 224x224: pool5 [512, 7, 7], fc7 [4096, 1, 1]', (t) => {
  const s = shapesOf(vgg16(), [224, 224]);
  t.deepEqual(s.of('pool1'), [64, 112, 112]);
  t.deepEqual(s.of('pool5'), [512, 7, 7]);
  t.deepEqual(s.of('fc7'), [4096, 1, 1]);
});

test('VGG16 at an odd, non-square 225x331 rounds every pool up', (t) => {
  const s = shapesOf(vgg16(), [225, 331]);
  t.deepEqual(
    ['pool1', 'pool2', 'pool3', 'pool4', 'pool5', 'fc6'].map((n) => s.of(n)),
    [
      [64, 113, 166],
      [128, 57, 83],
      [256, 29, 42],
      [512, 15, 21],
      [512, 8, 11],
      [4096, 2, 5],
    ],
  );
});

test('FCN-8s at 500x500: the reference blob sizes', (t) => {
  const s = shapesOf(vocFcn('8s'), [500, 500]);
  const sizes = Object.fromEntries(
    [
      'vgg.conv1_1',
      'vgg.pool1',
      'vgg.pool2',
      'vgg.pool3',
      'vgg.pool4',
      'vgg.pool5',
      'vgg.fc6',
      'upscore2',
      'score_pool4c',
      'upscore_pool4',
      'score_pool3c',
      'upscore8',
      'score',
    ].map((n) => [n, s.of(n)]),
  );
  t.deepEqual(sizes, {
    'vgg.conv1_1': [64, 698, 698],
    'vgg.pool1': [64, 349, 349],
    'vgg.pool2': [128, 175, 175],
    'vgg.pool3': [256, 88, 88],
    'vgg.pool4': [512, 44, 44],
    'vgg.pool5': [512, 22, 22],
    'vgg.fc6': [4096, 16, 16],
    upscore2: [21, 34, 34],
    score_pool4c: [21, 34, 34],
    upscore_pool4: [21, 70, 70],
    score_pool3c: [21, 70, 70],
    upscore8: [21, 568, 568],
    score: [21, 500, 500],
  });
});

test('FCN-8s at a non-square 333x500 and at 1x1', (t) => {
  const s = shapesOf(vocFcn('8s'), [333, 500]);
  t.deepEqual(
    ['vgg.pool3', 'vgg.pool4', 'vgg.pool5', 'vgg.fc6', 'upscore2', 'upscore_pool4', 'upscore8', 'score'].map((n) =>
      s.of(n),
    ),
    [
      [256, 67, 88],
      [512, 34, 44],
      [512, 17, 22],
      [4096, 11, 16],
      [21, 24, 34],
      [21, 50, 70],
      [21, 408, 568],
      [21, 333, 500],
    ],
  );
  const tiny = shapesOf(vocFcn('8s'), [1, 1]);
  t.deepEqual(
    ['vgg.conv1_1', 'vgg.pool5', 'vgg.fc6', 'upscore2', 'upscore_pool4', 'upscore8', 'score'].map((n) => tiny.of(n)),
    [
      [64, 199, 199],
      [512, 7, 7],
      [4096, 1, 1],
      [21, 4, 4],
      [21, 10, 10],
      [21, 88, 88],
      [21, 1, 1],
    ],
  );
  t.deepEqual(tiny.diagnostics, []);
});

test('with pad 100 the VGG16 FCNs accept every input size from 1 to 1000 on both axes', (t) => {
  for (const variant of ['32s', '16s', '8s'] as const) {
    const ir = vocFcn(variant);
    const offsets = inferCrops(ir).offsets;
    const failing = [];
    for (let h = 1; h <= 1000; h++)
      for (const axis of [0, 1] as const) if (!survives(ir, axis, h, offsets)) failing.push([axis, h]);
    t.deepEqual(failing, [], variant);
    t.deepEqual(shapesOf(ir).minInput, [1, 1]);
  }
});

test('plain VGG16 needs at least 193x193 with ceil pooling, 224x224 with floor pooling', (t) => {
  const ir = vgg16();
  const offsets = inferCrops(ir).offsets;
  t.deepEqual(shapesOf(ir).minInput, [193, 193]);
  t.false(survives(ir, 0, 192, offsets));
  t.true(survives(ir, 0, 193, offsets));
  for (const node of ir.nodes) if (node.op === 'pool') node.params.round = 'floor';
  t.deepEqual(shapesOf(ir).minInput, [224, 224]);
});

test('a collapse names the layer, both sizes and the smallest input that survives', (t) => {
  const ir = attachListing(vgg16());
  t.deepEqual(shapesOf(ir, [100, 250]).diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'size-collapse',
      message: "layer 'fc6' collapses at input 100x250: its 4x8 input gives a 0x2 output",
      at: 'test.fcn:34:3',
      help: 'the smallest input this net accepts is 193x193',
    },
  ]);
  const s = shapesOf(ir, [100, 250]);
  t.deepEqual(s.of('pool5'), [512, 4, 8]);
  t.deepEqual(s.of('fc6'), [4096, null, 2]);
  t.deepEqual(s.of('fc7'), [4096, null, 2]);
});

test('a crop that does not fit is an error; survival is not monotone, so the help names the next size that works', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('pool', 'pool', ['data'], { kernel: 2, stride: 2, round: 'floor' });
  b.layer('up', 'deconv', ['pool'], { out: 3, kernel: 2, stride: 2 });
  b.layer('c', 'crop', ['up', 'data']);
  const ir = attachListing(b.build());
  const s = shapesOf(ir, [11, 12]);
  t.deepEqual(s.minInput, [2, 2]);
  t.deepEqual(s.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'crop-out-of-bounds',
      message: "crop 'c' does not fit at input 11x12: it takes 11x12 at offset 0 from 'up', which is only 10x12",
      at: 'test.fcn:5:3',
      help: 'the next larger input that works is 12x12',
    },
  ]);
  t.deepEqual(s.of('c'), [3, null, 12]);
});

test('inputs of different sizes in a sum are an error, and no input size helps', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('a', 'conv', ['data'], { out: 3, kernel: 3 });
  b.layer('s', 'sum', ['a', 'data']);
  const s = shapesOf(attachListing(b.build()), [8, 9]);
  t.deepEqual(s.minInput, [null, null]);
  t.deepEqual(s.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'size-mismatch',
      message: "'s' (sum) needs inputs of one size, but at input 8x9 'a' is 6x7 and 'data' is 8x9",
      at: 'test.fcn:4:3',
      help: 'no input up to 4096 pixels survives',
    },
  ]);
});
