/**
 * The check rules: each diagnostic with its exact message and location.
 */
import test from 'ava';
import { analyze, checkRules, runChecks } from '../src/compiler/analysis/index.js';
import { compileSource } from '../src/compiler/compile.js';
import { formatLocation } from '../src/diagnostics/index.js';
import type { IRGraph } from '../src/compiler/ir/types.js';
import { IRBuilder } from './helpers/ir.js';
import { attachListing, pin } from './helpers/listing.js';
import { vocFcn } from './helpers/vgg.js';

/** The diagnostics of the check rules alone (not crops or shapes), pinned. */
function checks(ir: IRGraph) {
  const a = analyze(attachListing(ir));
  return runChecks({ ir: a.ir, channels: a.shapes.channels, fields: a.fields }).map(pin);
}

test('the reference FCNs pass every check', (t) => {
  for (const v of ['32s', '16s', '8s'] as const)
    t.deepEqual(analyze(vocFcn(v), { input: [500, 500] }).diagnostics, [], v);
  t.is(checkRules.length, 5);
});

test('a sum of blobs with different channel counts', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('a', 'conv', ['data'], { out: 21, kernel: 1 });
  b.layer('b', 'conv', ['data'], { out: 20, kernel: 1 });
  b.layer('fuse', 'sum', ['a', 'b']);
  t.deepEqual(checks(b.build()), [
    {
      severity: 'error',
      code: 'sum-channel-mismatch',
      message: "sum 'fuse' adds blobs with different channel counts: 'a' has 21 and 'b' has 20",
      at: 'test.fcn:5:3',
    },
  ]);
});

test('a group that does not divide the channels', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('conv2', 'conv', ['data'], { out: 256, kernel: 5, group: 2 });
  b.layer('up', 'deconv', ['conv2'], { out: 21, kernel: 4, stride: 2, group: 4 });
  t.deepEqual(checks(b.build()), [
    {
      severity: 'error',
      code: 'group-channel-mismatch',
      message: "conv 'conv2' has group 2, which does not divide its 3 input channels",
      at: 'test.fcn:3:3',
    },
    {
      severity: 'error',
      code: 'group-channel-mismatch',
      message: "deconv 'up' has group 4, which does not divide its 21 output channels",
      at: 'test.fcn:4:3',
    },
  ]);
});

test('a sum of blobs at different strides', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('pool4', 'pool', ['data'], { kernel: 16, stride: 16 });
  b.layer('pool5', 'pool', ['pool4'], { kernel: 2, stride: 2 });
  b.layer('up', 'deconv', ['pool5'], { out: 3, kernel: [4, 8], stride: [2, 4] });
  b.layer('fuse', 'sum', ['up', 'pool4']);
  t.deepEqual(checks(b.build()), [
    {
      severity: 'error',
      code: 'fusion-stride-mismatch',
      message:
        "sum 'fuse' fuses blobs of different strides: 'up' has stride [16, 8] and 'pool4' has stride 16 (relative to 'data')",
      at: 'test.fcn:6:3',
    },
  ]);
});

test('a concat of blobs at different strides', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.layer('p', 'pool', ['data'], { kernel: 2, stride: 2 });
  b.layer('cat', 'concat', ['p', 'data']);
  t.deepEqual(checks(b.build()), [
    {
      severity: 'error',
      code: 'fusion-stride-mismatch',
      message:
        "concat 'cat' fuses blobs of different strides: 'p' has stride 2 and 'data' has stride 1 (relative to 'data')",
      at: 'test.fcn:4:3',
    },
  ]);
});

test('unused layers and inputs are warnings; the last layer and heads are outputs', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.input('label', 1, { kind: 'label' });
  b.layer('conv', 'conv', ['data'], { out: 3, kernel: 1 });
  b.layer('dead', 'relu', ['data']);
  b.layer('prob', 'softmax', ['conv']);
  b.layer('pred', 'argmax', ['conv']);
  b.layer('last', 'conv', ['conv'], { out: 3, kernel: 1 });
  t.deepEqual(checks(b.build()), [
    { severity: 'warning', code: 'unused-input', message: "input 'label' is never used", at: 'test.fcn:3:9' },
    {
      severity: 'warning',
      code: 'unused-layer',
      message: "layer 'dead' is never used: nothing reads its output",
      at: 'test.fcn:5:3',
    },
  ]);
});

test('a loss without a label input', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.input('aux');
  b.layer('score', 'conv', ['data'], { out: 21, kernel: 1 });
  b.layer('loss', 'softmax_loss', ['score']);
  b.layer('loss2', 'softmax_loss', ['score', 'aux']);
  const help = "declare 'input label { kind: label }' and give the loss 'bottom: [scores, label]'";
  t.deepEqual(checks(b.build()), [
    {
      severity: 'error',
      code: 'loss-without-label',
      message: "loss 'loss' has no label input: it reads only 'score'",
      at: 'test.fcn:5:3',
      help,
    },
    {
      severity: 'error',
      code: 'loss-without-label',
      message: "loss 'loss2' has no label input: its second input 'aux' does not come from a label input",
      at: 'test.fcn:6:3',
      help,
    },
  ]);
});

test('a label reaching the loss through a crop counts as a label', (t) => {
  const b = new IRBuilder();
  b.input('data');
  b.input('label', 1, { kind: 'label' });
  b.layer('score', 'conv', ['data'], { out: 21, kernel: 1 });
  b.layer('lc', 'crop', ['label', 'score']);
  b.layer('loss', 'softmax_loss', ['score', 'lc']);
  t.deepEqual(checks(b.build()), []);
});

test('from real source: a diagnostic inside a block instance points at the layer and notes the instance', (t) => {
  const text = [
    'block pair(n) {',
    '  a: conv { out: n  kernel: 3  group: 2 }',
    '  b: relu',
    '}',
    'net t {',
    '  input data { channels: 3 }',
    '  p: pair { n: 8 }',
    '  q: conv { bottom: data  out: 8  kernel: 1 }',
    '}',
    '',
  ].join('\n');
  const result = compileSource(text, 'nets/t.fcn');
  t.deepEqual(result.diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'group-channel-mismatch',
      message: "conv 'p.a' has group 2, which does not divide its 3 input channels",
      at: 'nets/t.fcn:2:3',
      notes: ["'p.a' comes from the instance here"],
    },
    {
      severity: 'warning',
      code: 'unused-layer',
      message: "layer 'p.b' is never used: nothing reads its output",
      at: 'nets/t.fcn:3:3',
      notes: ["'p.b' comes from the instance here"],
    },
  ]);
  t.deepEqual(
    result.diagnostics.map((d) => formatLocation(d.notes![0]!.span!)),
    ['nets/t.fcn:7:3', 'nets/t.fcn:7:3'],
  );
});

test('from real source: an inline crop error points at crop(x)', (t) => {
  const text = [
    'net t {',
    '  input data { channels: 3 }',
    '  conv1: conv { out: 8  kernel: 3  pad: 1 }',
    '  pool1: pool { kernel: 2  stride: 2 }',
    '  up: deconv { out: 8  kernel: 4  stride: 3 }',
    '  fuse: sum { bottom: [up, crop(conv1)] }',
    '}',
    '',
  ].join('\n');
  t.deepEqual(compileSource(text, 'nets/t.fcn').diagnostics.map(pin), [
    {
      severity: 'error',
      code: 'crop-scale-mismatch',
      message:
        "crop 'conv1c' cannot align 'conv1' to 'up': scale mismatch, one pixel of 'conv1' spans 1.5 pixels of 'up' (it must span exactly 1)",
      at: 'nets/t.fcn:6:28',
      notes: [
        "'conv1' is the common ancestor",
        "'up' maps to 'conv1' through up (deconv 4x4/3) → pool1 (pool 2x2/2) → conv1: conv1 = 2/3·up − 0.5",
      ],
    },
  ]);
});
