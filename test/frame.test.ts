/**
 * One coordinate frame for a net's inputs: a label lines up with its image, so `crop(label)`
 * aligns it to a smaller score map (valid convolutions), with the offset computed; a net
 * whose output is smaller than its input then trains, its loss over the label's window.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs';
import { compileSource } from '../src/compiler/compile.js';
import { Rng } from '../src/data/random.js';
import { emitModel } from '../src/runtime/emit.js';
import { softmaxLoss } from '../src/runtime/loss.js';
import { Trainer } from '../src/runtime/train-step.js';
import { randn, useWasm } from './helpers/tf.js';

test.before(async () => {
  await useWasm();
});

const VALID = `net valid {
  input data { channels: 2 }
  input label { kind: label }
  c1: conv { out: 4  kernel: 3 }
  r1: relu
  p1: pool { kernel: 2  stride: 2 }
  c2: conv { out: 4  kernel: 3 }
  up: deconv { out: 4  kernel: 2  stride: 2 }
  cat: concat { bottom: [up, crop(r1)] }
  score: conv { out: 3  kernel: [1, 3] }
  loss: softmax_loss { bottom: [score, crop(label)]  normalize: true }
}`;

test('crop(label) aligns the label to a smaller score map, with the offset computed through the shared frame', (t) => {
  const c = compileSource(VALID, 'valid.fcn', { input: [20, 22] });
  t.deepEqual(
    c.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  const a = c.analysis!;
  const crop = a.crops.crops.find((x) => a.ir.nodes[x.node]!.name === 'labelc')!;
  // c1 (3×3 valid) → pool 2/2 → c2 (3×3) → up ×2 → score (1×3): data = score + 3 (h), + 4 (w).
  t.deepEqual(crop.inferred, [3, 4]);
  t.deepEqual(crop.relation?.kind === 'related' ? a.ir.nodes[crop.relation.ancestor]!.name : null, 'data');
  t.deepEqual(a.shapes.shapes[a.ir.byName.get('score')!], [3, 14, 14]);
  t.deepEqual(a.shapes.shapes[a.ir.byName.get('labelc')!], [1, 14, 14]);
  // The size search no longer fails on the label: 7×9 is the smallest input that computes.
  t.deepEqual(a.shapes.minInput, [7, 9]);
});

test('an input declared frame: own shares no coordinates: crop(label) is then an error', (t) => {
  const c = compileSource(VALID.replace('kind: label }', 'kind: label  frame: own }'), 'own.fcn', {
    input: [20, 22],
  });
  const errors = c.diagnostics.filter((d) => d.severity === 'error');
  t.is(errors.length, 1);
  t.is(errors[0]!.message, "crop 'labelc' cannot align 'label' to 'score': no spatial path connects them");
});

test('without crop(label), the loss size mismatch says how to crop the label', (t) => {
  const c = compileSource(VALID.replace('crop(label)', 'label'), 'nocrop.fcn', { input: [20, 22] });
  const e = c.diagnostics.find((d) => d.code === 'size-mismatch')!;
  t.is(
    e.message,
    "'loss' (softmax_loss) needs inputs of one size, but at input 20x22 'score' is 14x14 and 'label' is 20x22",
  );
  t.is(e.help, "crop the label to the scores: 'bottom: [score, crop(label)]'");
  t.deepEqual(c.analysis!.shapes.minInput, [7, 9]);
});

test('a net whose output is smaller than its input trains: the loss is over the label window at the offset', (t) => {
  const c = compileSource(VALID, 'valid.fcn');
  const { model, info } = emitModel(c.ir!, { offsets: c.analysis!.crops.offsets, seed: 1 });
  t.deepEqual(info.losses[0]!.labelOffset, [3, 4]);
  t.deepEqual(
    info.inputs.map((i) => i.name),
    ['data'],
  );
  const rng = new Rng(5);
  const x = randn([2, 20, 22, 2], rng) as tf.Tensor4D;
  const values = Array.from({ length: 2 * 20 * 22 }, (_, i) => (i * 7) % 3);
  const labels = tf.tensor3d(values, [2, 20, 22], 'int32');
  // The expected loss: the scores against the label's 14×14 window at (3, 4).
  const scores = model.predict(x) as tf.Tensor4D;
  const window = tf.slice(labels, [0, 3, 4], [2, 14, 14]);
  const want = softmaxLoss(scores, window, { normalize: true, weight: 1 }).dataSync()[0]!;
  const trainer = new Trainer(model, info, { lr: 0.05, momentum: 0.9, weightDecay: 0 });
  const first = trainer.step({ inputs: { data: x }, labels: { label: labels } });
  t.true(Math.abs(first - want) < 1e-5, `${first} vs ${want}`);
  let last = first;
  for (let i = 0; i < 5; i++) last = trainer.step({ inputs: { data: x }, labels: { label: labels } });
  t.true(last < first, `the loss went from ${first} to ${last}`);
  tf.dispose([x, labels, scores, window]);
  model.dispose();
});
